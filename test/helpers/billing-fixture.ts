/** Autotask-shaped billing data pushed the way scripts push it (the Autotask services), for engine tests. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'vitest';
import { asActor } from '../../src/modules/audit/actor.js';
import { upsertInvoices, upsertOrganizations, upsertPayments } from '../../src/modules/autotask/autotask.service.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { Payment } from '../../src/modules/autotask/payment.entity.js';
import { QuickBooksSimulator, createCompanyFile } from '../../src/simulator/quickbooks.js';
import { UpdateConnectorDocument, UpsertMappingsDocument } from '../generated/graphql.js';
import { specDir } from './spec.js';
import { loadConfig } from '../../src/app/config.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { createFixture, type Fixture } from './qbwc-fixture.js';
import { startTestApp, type TestApp } from './test-app.js';

const SCRIPT = { id: 'test', name: 'billing script' };

export async function pushOrganization(em: EntityManager, autotaskId: number, name: string): Promise<void> {
  await asActor(SCRIPT, () =>
    upsertOrganizations(em, {
      organizations: [
        {
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

async function pushInvoiceData(em: EntityManager, organizationAutotaskId: number, autotaskIds: readonly number[], total: string, lines: readonly ReturnType<typeof labourLine>[]): Promise<string[]> {
  await asActor(SCRIPT, () =>
    upsertInvoices(em, {
      invoices: autotaskIds.map((autotaskId) => ({
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

/** Invoices with two labour lines each (1.5 h and 2 h of Remote Support at 95.00). */
export async function pushInvoices(em: EntityManager, organizationAutotaskId: number, autotaskIds: readonly number[]): Promise<string[]> {
  return pushInvoiceData(em, organizationAutotaskId, autotaskIds, '332.50', [
    labourLine('Printer fix', '1.5', '142.50', '2026-11-18'),
    labourLine('Server patching', '2', '190.00', '2026-11-19'),
  ]);
}

/** A credit invoice (negative total, as Autotask writes credits): 1.5 h of Remote Support credited, -142.50. */
export async function pushCreditInvoice(em: EntityManager, organizationAutotaskId: number, autotaskId: number): Promise<string> {
  const [id] = await pushInvoiceData(em, organizationAutotaskId, [autotaskId], '-142.50', [labourLine('Credit: printer fix not done', '-1.5', '-142.50', '2026-11-18')]);
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
  const qb = new QuickBooksSimulator({ specDir, company: createCompanyFile({ seed: 'standard', companyName }) });
  processOk(qb, '<ClassAddRq><ClassAdd><Name>Managed</Name></ClassAdd></ClassAddRq>');
  return qb;
}

/** Sends one qbXML request straight to the simulated QuickBooks (set-up, not what is tested) and expects it accepted. */
export function processOk(qb: QuickBooksSimulator, request: string): void {
  const result = qb.process(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${request}</QBXMLMsgsRq></QBXML>`);
  expect(result.kind).toBe('response');
  if (result.kind === 'response') expect(result.responseXml).toContain('statusCode="0"');
}

/** The service with the engine and the QuickBooks list sync, reachable by the Web Connector emulator, plus its fixture. */
export async function startListSyncingApp(): Promise<{ app: TestApp; fixture: Fixture }> {
  const app = await startTestApp({ reachableQwc: true, engine: true, workSources: [createListSyncSource(loadConfig({}))] });
  return { app, fixture: await createFixture(app) };
}
