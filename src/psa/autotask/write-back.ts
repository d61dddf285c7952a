/**
 * Writing QuickBooks outcomes back into Autotask, and creating Autotask companies from QuickBooks customers.
 *
 * - `writeBackInvoice(invoiceId)`: after the transfer engine marks an invoice's ledger item SUCCEEDED, PATCH
 *   the Autotask invoice with the QuickBooks RefNumber as `invoiceNumber` (unless the connection says
 *   Autotask keeps its own numbers) and `webServiceDate` = when QuickBooks accepted it (docs §6, §7.5).
 *   Setting webServiceDate also takes the invoice out of the UNPROCESSED selection of later pulls.
 * - `writeBackInvoicePaid(invoiceId, paidDate)`: PATCH `paidDate` (date only) when QuickBooks shows it paid;
 *   `clearInvoicePaid(invoiceId)`: PATCH `paidDate: null` when it no longer does.
 * They are called by the write-back outbox (write-back-outbox.ts) from the scheduler, never from a Web
 * Connector call.
 * - `createAutotaskCompany(customer)`: POST a company for a customer imported from QuickBooks, store it as an
 *   organization, and link it to the customer in that connector's company file.
 * All PATCHes are idempotent (absolute values), so calling them again is harmless.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { isCalendarDate } from '../../modules/autotask/autotask-values.js';
import { upsertOrganizations } from '../../modules/autotask/autotask.service.js';
import { Invoice } from '../../modules/autotask/invoice.entity.js';
import { Organization, OrganizationQbLink } from '../../modules/autotask/organization.entity.js';
import { PurchaseOrder } from '../../modules/purchasing/purchase-order.entity.js';
import { ExpenseReport } from '../../modules/expenses/expense-report.entity.js';
import { Connector } from '../../modules/connector/connector.entity.js';
import { TransferItem } from '../../modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../modules/transfer/transfer-state.js';
import { clientFor, type AutotaskRuntime } from './autotask-connection.service.js';
import { where } from './filter.js';
import { companyToOrganization, customerToCompany, toAutotaskDate, toAutotaskDateTime, type QuickBooksCustomer } from './mapping.js';
import type { AtCompany, AtCompanyInvoiceSettings } from './types.js';

export interface InvoiceWriteBack {
  readonly invoiceId: string;
  readonly autotaskId: number;
  /** What was written; null when only webServiceDate was (the connection keeps Autotask's numbers). */
  readonly invoiceNumber: string | null;
  readonly webServiceDate: string;
}

/** Invoice numbers are at most 100 characters in Autotask (docs §5.2). */
const INVOICE_NUMBER_MAX = 100;

export async function writeBackInvoice(em: EntityManager, runtime: AutotaskRuntime, invoiceId: string): Promise<InvoiceWriteBack> {
  const invoice = await em.findOne(Invoice, { id: invoiceId });
  if (!invoice) throw AppError.notFound('Invoice', invoiceId);
  const [transfer] = await em.find(
    TransferItem,
    { entityType: TransferEntityType.INVOICE, entityId: invoiceId, state: TransferState.SUCCEEDED },
    { orderBy: { finishedAt: 'desc' }, limit: 1 },
  );
  if (!transfer) {
    throw new AppError(
      'CONFLICT',
      `Invoice ${invoice.autotaskId} (${invoiceId}) has no successful transfer to QuickBooks yet, so there is nothing to write back to Autotask.`,
    );
  }
  const { client, connection } = await clientFor(em, runtime);
  const invoiceNumber = connection.writeBackInvoiceNumber && transfer.qbRefNumber ? transfer.qbRefNumber.slice(0, INVOICE_NUMBER_MAX) : null;
  const webServiceDate = toAutotaskDateTime(transfer.finishedAt ?? new Date());
  await client.update('Invoices', { id: invoice.autotaskId, ...(invoiceNumber ? { invoiceNumber } : {}), webServiceDate });
  runtime.logger?.info({ invoiceId, autotaskId: invoice.autotaskId, invoiceNumber, webServiceDate }, 'wrote the QuickBooks outcome back to Autotask');
  return { invoiceId, autotaskId: invoice.autotaskId, invoiceNumber, webServiceDate };
}

/** Marks the Autotask invoice paid on `paidDate` (YYYY-MM-DD; default: the stored invoice's paidDate). */
export async function writeBackInvoicePaid(em: EntityManager, runtime: AutotaskRuntime, invoiceId: string, paidDate?: string): Promise<{ autotaskId: number; paidDate: string }> {
  const invoice = await em.findOne(Invoice, { id: invoiceId });
  if (!invoice) throw AppError.notFound('Invoice', invoiceId);
  const day = paidDate ?? invoice.paidDate;
  if (!day || !isCalendarDate(day)) {
    throw AppError.invalidInput([{ field: 'paidDate', message: day ? 'must be a date written YYYY-MM-DD' : 'is required (the invoice has no paid date)' }]);
  }
  const { client } = await clientFor(em, runtime);
  await client.update('Invoices', { id: invoice.autotaskId, paidDate: toAutotaskDate(day) });
  return { autotaskId: invoice.autotaskId, paidDate: day };
}

/**
 * Clears the Autotask invoice's paidDate (QuickBooks no longer shows it paid, e.g. its payment was deleted).
 * That PATCH accepts an explicit null is inferred, not documented (docs §6 #102): callers must expect Autotask
 * to refuse it (an AutotaskApiError with failure 'rejected').
 */
export async function clearInvoicePaid(em: EntityManager, runtime: AutotaskRuntime, invoiceId: string): Promise<{ autotaskId: number }> {
  const invoice = await em.findOne(Invoice, { id: invoiceId });
  if (!invoice) throw AppError.notFound('Invoice', invoiceId);
  const { client } = await clientFor(em, runtime);
  await client.update('Invoices', { id: invoice.autotaskId, paidDate: null });
  return { autotaskId: invoice.autotaskId };
}

export interface CreatedCompany {
  readonly organization: Organization;
  /** False when a company with that exact name already existed in Autotask (it is reused, not duplicated). */
  readonly created: boolean;
  readonly link: OrganizationQbLink | null;
}

/**
 * An Autotask company for a customer imported from QuickBooks. A company with exactly this name already in
 * Autotask is reused rather than duplicated (the POST is not retried either). The company is read back,
 * stored as an organization, and — when the customer names its connector and ListID — linked to it.
 */
export async function createAutotaskCompany(em: EntityManager, runtime: AutotaskRuntime, customer: QuickBooksCustomer): Promise<CreatedCompany> {
  const name = customer.name?.trim();
  if (!name) throw AppError.invalidInput([{ field: 'name', message: 'must not be empty' }]);
  const connector = customer.connectorId ? await em.findOne(Connector, { id: customer.connectorId }) : null;
  if (customer.connectorId && !connector) throw AppError.notFound('Connector', customer.connectorId);
  const { client, connection } = await clientFor(em, runtime);

  const [existing] = await client.queryAll<AtCompany>('Companies', { filter: [where.eq<AtCompany>('companyName', name)], maxRecords: 1 });
  let companyId = existing?.id;
  if (companyId === undefined) {
    if (connection.newCompanyOwnerResourceId == null) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Autotask needs an owner (a resource) for every new company; set newCompanyOwnerResourceId with setAutotaskConnection first.',
        { fields: [{ field: 'newCompanyOwnerResourceId', message: 'is required to create companies in Autotask' }] },
      );
    }
    companyId = await client.create('Companies', customerToCompany(customer, { companyType: connection.newCompanyType, ownerResourceId: connection.newCompanyOwnerResourceId }));
    const email = customer.email?.trim();
    if (email) await addInvoiceEmail(client, companyId, email);
  }
  const company = existing ?? (await client.get<AtCompany>('Companies', companyId));
  if (!company) throw new AppError('INTERNAL', `Autotask created company ${companyId} but does not return it; pull companies later to store it.`);

  const organizationInput = companyToOrganization(company, { countries: new Map(), invoiceTemplates: new Map(), paymentTerms: new Map() });
  // The company has no e-mail field; the organization keeps the customer's, so invoices to be e-mailed have one.
  organizationInput.email = customer.email?.trim() || organizationInput.email;
  return em.transactional(async (tx) => {
      const [organization] = (await upsertOrganizations(tx, { organizations: [organizationInput] })).organizations;
      let link: OrganizationQbLink | null = null;
      if (connector && customer.listId) {
        link = await tx.findOne(OrganizationQbLink, { organization: organization!, connector });
        if (!link) {
          link = new OrganizationQbLink(organization!, tx.getReference(Connector, connector.id), customer.listId, customer.fullName ?? name);
          link.editSequence = customer.editSequence ?? null;
          tx.persist(link);
        }
      }
      await tx.flush();
      return { organization: organization!, created: existing === undefined, link };
  });
}

/**
 * The customer's e-mail as an invoice e-mail recipient of the new company (`otherEmails`, the only e-mail an
 * Autotask company keeps). The PUT replaces the whole settings object, so it is read first and sent back with
 * only otherEmails filled in, recipients left out as the PUT expects.
 */
async function addInvoiceEmail(client: Awaited<ReturnType<typeof clientFor>>['client'], companyId: number, email: string): Promise<void> {
  const { contactRecipients: _contacts, resourceRecipients: _resources, ...settings } = (await client.getSub<AtCompanyInvoiceSettings>('Companies', companyId, 'invoiceSettings')) ?? {};
  if (settings.otherEmails?.trim()) return;
  await client.putSub('Companies', companyId, 'invoiceSettings', { ...settings, otherEmails: email });
}

/** Autotask's externalPONumber holds at most 50 characters (parity-transfers.md F2). */
const EXTERNAL_PO_NUMBER_MAX = 50;

/**
 * Writes the QuickBooks number of a transferred purchase order to Autotask's `externalPONumber` (what
 * Autotask's own QuickBooks Online app does) and remembers it on our copy, so it is written once.
 */
export async function writeBackPurchaseOrderNumber(em: EntityManager, runtime: AutotaskRuntime, purchaseOrderId: string, refNumber: string): Promise<{ autotaskId: number; externalPONumber: string }> {
  const order = await em.findOne(PurchaseOrder, { id: purchaseOrderId });
  if (!order) throw AppError.notFound('Purchase order', purchaseOrderId);
  const externalPONumber = refNumber.slice(0, EXTERNAL_PO_NUMBER_MAX);
  const { client } = await clientFor(em, runtime);
  await client.update('PurchaseOrders', { id: order.autotaskId, externalPONumber });
  order.externalPONumber = externalPONumber;
  await em.flush();
  return { autotaskId: order.autotaskId, externalPONumber };
}

/** Autotask's quickBooksReferenceNumber holds at most 100 characters (a TxnID is far shorter). */
const QUICKBOOKS_REFERENCE_MAX = 100;

/**
 * Writes the QuickBooks TxnID of a transferred expense report (its bill or vendor credit) to Autotask's
 * `quickBooksReferenceNumber` — the "already sent" marker Autotask's own apps read (a report is unsynced while
 * it is blank, parity-transfers.md §5.1) — and remembers it on our copy, so it is written once.
 */
export async function writeBackExpenseReportReference(em: EntityManager, runtime: AutotaskRuntime, reportId: string, reference: string): Promise<{ autotaskId: number; quickBooksReferenceNumber: string }> {
  const report = await em.findOne(ExpenseReport, { id: reportId });
  if (!report) throw AppError.notFound('Expense report', reportId);
  const quickBooksReferenceNumber = reference.slice(0, QUICKBOOKS_REFERENCE_MAX);
  const { client } = await clientFor(em, runtime);
  await client.update('ExpenseReports', { id: report.autotaskId, quickBooksReferenceNumber });
  report.quickBooksReferenceNumber = quickBooksReferenceNumber;
  await em.flush();
  return { autotaskId: report.autotaskId, quickBooksReferenceNumber };
}
