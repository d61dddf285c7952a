/**
 * The soak's stream of Autotask data: waves of organizations (each routed to one of the company files), two
 * invoices each, for every other organization a credit against its first invoice (a credit memo, then its
 * application to that invoice), and a part payment of each second invoice — pushed and queued over GraphQL
 * while the Web Connector sessions run, as the Autotask pull would queue them.
 */
import { sampleInvoice, sampleOrganizations } from '../../src/cli/demo-data.js';
import type { GraphqlClient } from '../../src/cli/graphql-client.js';
import { Random } from './schedule.js';

const FIRST_ORGANIZATION = 400_000;
const FIRST_INVOICE = 900_000;
/** A credit of one hour of Remote Support: always less than what is left of the invoice it credits. */
const CREDIT_CENTS = 9500;

export interface PushedOrganization {
  readonly id: string;
  readonly autotaskId: number;
  readonly name: string;
  /** Index of the company file (connector) its routing names. */
  readonly file: number;
}

export interface PushedInvoice {
  readonly id: string;
  readonly autotaskId: number;
  readonly organization: PushedOrganization;
  /** Total in cents; negative for a credit (a credit memo in QuickBooks). */
  readonly totalCents: number;
  /** A credit's invoice (it is applied to it). */
  readonly credits?: PushedInvoice;
}

export interface PushedPayment {
  readonly id: string;
  readonly invoice: PushedInvoice;
  readonly amountCents: number;
}

/** Everything pushed so far: what the checker expects in the company files. */
export class Workload {
  readonly organizations: PushedOrganization[] = [];
  readonly invoices: PushedInvoice[] = [];
  readonly payments: PushedPayment[] = [];
  waves = 0;

  constructor(
    private readonly gql: GraphqlClient,
    private readonly connectorIds: readonly string[],
    private readonly seed: number,
    private readonly organizationsPerWave: number,
  ) {}

  /** Pushes and queues one wave; routing decides each organization's file. */
  async wave(): Promise<void> {
    const first = FIRST_ORGANIZATION + this.organizations.length;
    const input = sampleOrganizations(this.organizationsPerWave, first);
    // Drawn from the seed and the Autotask id: a wave pushed again routes each organization the same way.
    const files = input.map((o) => new Random(this.seed ^ o.autotaskId).int(0, this.connectorIds.length - 1));
    const routes = input.map((o, i) => ({ subject: 'ORGANIZATION', autotaskId: o.autotaskId, connectorId: this.connectorIds[files[i]!]! }));
    await this.gql('mutation($input: SetRoutesInput!) { setRoutes(input: $input) { id } }', { input: { routes } });
    const { upsertOrganizations } = await this.gql<{ upsertOrganizations: { organizations: Array<{ id: string }> } }>(
      'mutation($input: UpsertOrganizationsInput!) { upsertOrganizations(input: $input) { organizations { id } } }', { input: { organizations: input } });
    const organizations = input.map((o, i) => ({ id: upsertOrganizations.organizations[i]!.id, autotaskId: o.autotaskId, name: o.name, file: files[i]! }));

    const invoiceInput: Array<{ autotaskId: number; total: string }> = [];
    const owners: Array<{ organization: PushedOrganization; creditsIndex?: number }> = [];
    organizations.forEach((organization, i) => {
      for (let n = 0; n < 2; n++) {
        const autotaskId = FIRST_INVOICE + (this.invoices.length + invoiceInput.length);
        invoiceInput.push(sampleInvoice(autotaskId, organization.autotaskId, i + n, 3));
        owners.push({ organization });
      }
      if ((first + i) % 2 === 0) {
        const credited = invoiceInput.at(-2)!;
        invoiceInput.push(creditOf(FIRST_INVOICE + this.invoices.length + invoiceInput.length, credited.autotaskId, organization.autotaskId));
        owners.push({ organization, creditsIndex: invoiceInput.length - 3 });
      }
    });
    const { upsertInvoices } = await this.gql<{ upsertInvoices: { invoices: Array<{ id: string }> } }>(
      'mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { invoices { id } } }', { input: { invoices: invoiceInput } });
    const invoices: PushedInvoice[] = [];
    invoiceInput.forEach((invoice, i) => {
      const owner = owners[i]!;
      invoices.push({
        id: upsertInvoices.invoices[i]!.id, autotaskId: invoice.autotaskId, organization: owner.organization,
        totalCents: toCents(invoice.total), credits: owner.creditsIndex === undefined ? undefined : invoices[owner.creditsIndex],
      });
    });
    await this.queue('INVOICE', invoices.map((i) => i.id));

    // A part payment of each organization's second invoice (queued now: it waits for its invoice to land).
    const paid = invoices.filter((invoice, i) => !invoice.credits && invoices[i - 1]?.organization === invoice.organization && !invoices[i - 1]!.credits);
    const paymentInput = paid.map((invoice) => ({
      externalId: `soak-${invoice.autotaskId}`, invoiceAutotaskId: invoice.autotaskId, amount: fromCents(Math.floor(invoice.totalCents / 2)),
      paymentDate: '2026-11-29', paymentMethod: 'Check', reference: `CHK-${invoice.autotaskId}`,
    }));
    const { upsertPayments } = await this.gql<{ upsertPayments: { payments: Array<{ id: string }> } }>(
      'mutation($input: UpsertPaymentsInput!) { upsertPayments(input: $input) { payments { id } } }', { input: { payments: paymentInput } });
    const payments = paid.map((invoice, i) => ({ id: upsertPayments.payments[i]!.id, invoice, amountCents: Math.floor(invoice.totalCents / 2) }));
    await this.queue('PAYMENT', payments.map((p) => p.id));

    this.organizations.push(...organizations);
    this.invoices.push(...invoices);
    this.payments.push(...payments);
    this.waves++;
  }

  private async queue(entityType: string, entityIds: string[]): Promise<void> {
    if (entityIds.length > 0) await this.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType, entityIds } });
  }
}

/** A credit (negative total, as Autotask writes credits) of one hour of Remote Support against an invoice. */
function creditOf(autotaskId: number, creditsInvoiceAutotaskId: number, organizationAutotaskId: number) {
  const amount = `-${fromCents(CREDIT_CENTS)}`;
  return {
    autotaskId, organizationAutotaskId, creditsInvoiceAutotaskId, invoiceNumber: `CR-${autotaskId}`, invoiceDate: '2026-11-28', total: amount, taxTotal: '0.00',
    lines: [{ billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', rate: '95.00', description: 'Credit: one hour not worked', quantity: '-1', amount, taxable: false, serviceDate: '2026-11-10' }],
  };
}

export const toCents = (amount: string): number => Math.round(Number(amount) * 100);
export const fromCents = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
