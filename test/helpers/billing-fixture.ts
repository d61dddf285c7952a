/** Autotask-shaped billing data pushed the way scripts push it (the Autotask services), for engine tests. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, expect } from 'vitest';
import { asActor } from '../../src/modules/audit/actor.js';
import { upsertInvoices, upsertOrganizations, upsertPayments } from '../../src/modules/autotask/autotask.service.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { Payment } from '../../src/modules/autotask/payment.entity.js';
import { QuickBooksSimulator, createCompanyFile } from '../../src/simulator/quickbooks.js';
import { UpdateConnectorDocument, UpsertMappingsDocument } from '../generated/graphql.js';
import { createConnector, createFixture, register, type Fixture } from './qbwc-fixture.js';
import { validator } from './spec.js';
import { loadConfig } from '../../src/app/config.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

const SCRIPT = { id: 'test', name: 'billing script' };

/** `extra`: more organization fields (account manager, classification, invoice template, ...). */
export async function pushOrganization(em: EntityManager, autotaskId: number, name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await asActor(SCRIPT, () =>
    upsertOrganizations(em, {
      organizations: [
        {
          ...extra,
          autotaskId,
          name,
          address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
          phone: '555-0100',
          email: 'billing@example.com',
          taxExempt: false,
          paymentTermId: '3',
          paymentTermName: 'Net 30',
        },
      ],
    } as never),
  );
}

/** A labour line of Remote Support at 95.00 (negative hours credit them). */
function labourLine(description: string, quantity: string, amount: string, serviceDate: string) {
  return { billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', billingCodeId: '29682801', description, quantity, rate: '95.00', amount, taxable: false, lineOfBusinessId: '7', serviceDate };
}

/** What else an invoice push may say: which invoice a credit credits, that it was voided in Autotask. */
interface InvoiceExtras {
  readonly creditsInvoiceAutotaskId?: number;
  readonly isVoided?: boolean;
}

async function pushInvoiceData(
  em: EntityManager, organizationAutotaskId: number, autotaskIds: readonly number[], total: string, lines: readonly ReturnType<typeof labourLine>[],
  extras: InvoiceExtras = {},
): Promise<string[]> {
  await asActor(SCRIPT, () =>
    upsertInvoices(em, {
      invoices: autotaskIds.map((autotaskId) => ({
        ...extras,
        autotaskId,
        organizationAutotaskId,
        invoiceNumber: `T${autotaskId}`,
        invoiceDate: '2026-11-20',
        poNumber: `PO-${autotaskId}`,
        paymentTermId: '3',
        total,
        taxTotal: '0.00',
        lines,
      })),
    } as never),
  );
  return (await em.find(Invoice, { autotaskId: { $in: [...autotaskIds] } }, { orderBy: { autotaskId: 'asc' } })).map((i) => i.id);
}

/** A labour line of a work type the mappings of {@link mapBillingValues} do not map: 1 h at 100.00. */
export function unmappedLabourLine(workTypeId: string, workTypeName: string) {
  return { ...labourLine(workTypeName, '1', '100.00', '2026-11-18'), billingItemId: workTypeId, billingItemName: workTypeName, rate: '100.00' };
}

/** Invoices with the given lines (total: their sum). */
export async function pushInvoicesWithLines(em: EntityManager, organizationAutotaskId: number, autotaskIds: readonly number[], lines: readonly ReturnType<typeof labourLine>[]): Promise<string[]> {
  const total = lines.reduce((sum, l) => sum + Number(l.amount), 0).toFixed(2);
  return pushInvoiceData(em, organizationAutotaskId, autotaskIds, total, lines);
}

/** Invoices with two labour lines each (1.5 h and 2 h of Remote Support at 95.00); `extras` e.g. voids them. */
export async function pushInvoices(em: EntityManager, organizationAutotaskId: number, autotaskIds: readonly number[], extras: InvoiceExtras = {}): Promise<string[]> {
  return pushInvoiceData(em, organizationAutotaskId, autotaskIds, '332.50', [
    labourLine('Printer fix', '1.5', '142.50', '2026-11-18'),
    labourLine('Server patching', '2', '190.00', '2026-11-19'),
  ], extras);
}

/**
 * A credit invoice (negative total, as Autotask writes credits): 1.5 h of Remote Support credited, -142.50;
 * `extras` may name the invoice it credits.
 */
export async function pushCreditInvoice(em: EntityManager, organizationAutotaskId: number, autotaskId: number, extras: InvoiceExtras = {}): Promise<string> {
  const [id] = await pushInvoiceData(em, organizationAutotaskId, [autotaskId], '-142.50', [labourLine('Credit: printer fix not done', '-1.5', '-142.50', '2026-11-18')], extras);
  return id!;
}

export async function pushPayment(em: EntityManager, externalId: string, invoiceAutotaskId: number, amount: string): Promise<string> {
  await asActor(SCRIPT, () =>
    upsertPayments(em, {
      payments: [{ externalId, invoiceAutotaskId, amount, paymentDate: '2026-11-24', paymentMethod: 'Check', reference: '1001' }],
    } as never),
  );
  return (await em.findOneOrFail(Payment, { externalId })).id;
}

/** What the invoices of {@link pushInvoices} need in QuickBooks: an income account, item, class and terms mapping. */
export async function mapBillingValues(app: TestApp, adminToken: string, connectorId: string): Promise<void> {
  const updated = await app.gql(UpdateConnectorDocument, { id: connectorId, input: { defaultIncomeAccount: { fullName: 'Services' } } }, adminToken);
  expect(updated.errors).toBeUndefined();
  const mapped = await app.gql(UpsertMappingsDocument, {
    input: {
      connectorId,
      mappings: [
        { sourceKind: 'WORK_TYPE', sourceId: '29682801', sourceName: 'Remote Support', target: { fullName: 'Remote Support' }, itemType: 'SERVICE' },
        { sourceKind: 'LINE_OF_BUSINESS', sourceId: '7', sourceName: 'Managed Services', target: { fullName: 'Managed' } },
        { sourceKind: 'PAYMENT_TERM', sourceId: '3', sourceName: 'Net 30', target: { fullName: 'Net 30' } },
      ],
    },
  }, adminToken);
  expect(mapped.errors).toBeUndefined();
}

/** A QuickBooks with the standard company file plus the class the mappings of {@link mapBillingValues} name. */
export function billingQuickBooks(companyName: string): QuickBooksSimulator {
  const qb = new QuickBooksSimulator({ validator, company: createCompanyFile({ seed: 'standard', companyName }) });
  processOk(qb, '<ClassAddRq><ClassAdd><Name>Managed</Name></ClassAdd></ClassAddRq>');
  return qb;
}

/** Sends one qbXML request straight to the simulated QuickBooks (set-up, not what is tested) and expects it accepted. */
export function processOk(qb: QuickBooksSimulator, request: string): void {
  const result = qb.process(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${request}</QBXMLMsgsRq></QBXML>`);
  expect(result.kind).toBe('response');
  if (result.kind === 'response') expect(result.responseXml).toContain('statusCode="0"');
}

/** A service with the engine, one connector whose billing values are mapped, its QWC file and its QuickBooks. */
export interface BillingSetup {
  readonly app: TestApp;
  readonly fixture: Fixture;
  readonly connectorId: string;
  readonly qwc: string;
  readonly qb: QuickBooksSimulator;
}

/** Starts {@link BillingSetup} for a company file named `companyName`; close `app` afterwards. */
export async function startBillingSetup(companyName: string, options: Pick<TestAppOptions, 'env' | 'workSources'> = {}): Promise<BillingSetup> {
  const app = await startTestApp({ reachableQwc: true, engine: true, ...options });
  const fixture = await createFixture(app);
  const connectorId = await createConnector(app, fixture, companyName);
  const qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  return { app, fixture, connectorId, qwc, qb: billingQuickBooks(companyName) };
}

/** The service with the engine and the QuickBooks list sync, reachable by the Web Connector emulator, plus its fixture. */
export async function startListSyncingApp(): Promise<{ app: TestApp; fixture: Fixture }> {
  const app = await startTestApp({ reachableQwc: true, engine: true, workSources: [createListSyncSource(loadConfig({}))] });
  return { app, fixture: await createFixture(app) };
}

/** {@link startListSyncingApp} for the tests of one file: started before them, closed after; read its fields inside tests. */
export function listSyncingAppPerFile(): { app: TestApp; fixture: Fixture } {
  const started = {} as { app: TestApp; fixture: Fixture };
  beforeAll(async () => {
    Object.assign(started, await startListSyncingApp());
  });
  afterAll(async () => {
    await started.app?.close();
  });
  return started;
}
