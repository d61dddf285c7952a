/** Autotask-shaped billing data pushed the way scripts push it (the Autotask services), for engine tests. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { asActor } from '../../src/modules/audit/actor.js';
import { upsertInvoices, upsertOrganizations, upsertPayments } from '../../src/modules/autotask/autotask.service.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { Payment } from '../../src/modules/autotask/payment.entity.js';

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
