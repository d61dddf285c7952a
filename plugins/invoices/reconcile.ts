/**
 * Exactly once for invoices. With Autotask's numbers the invoice is found by RefNumber (and its customer);
 * when QuickBooks numbers invoices, by the customer and the invoice date, recognised by the `AT:<id>` stamp
 * in `Other`.
 */
import { allRets, isError, textOf, type Invoice, type PlannedRequest, type QbxmlResponse, type Reconciler, type TranslateContext } from '../sdk/index.js';
import { invoiceStamp } from './stamp.js';

const INCLUDE = ['TxnID', 'RefNumber', 'EditSequence', 'TxnDate', 'CustomerRef', 'Other'];

function byRefNumber(invoice: Invoice, ctx: TranslateContext): boolean {
  return ctx.connector.invoiceNumbering === 'AUTOTASK' && !!invoice.invoiceNumber?.trim();
}

export const reconcile: Reconciler<Invoice> = {
  query(invoice, ctx): PlannedRequest {
    if (byRefNumber(invoice, ctx)) {
      return { type: 'InvoiceQueryRq', role: 'main', body: { RefNumber: [invoice.invoiceNumber!.trim()], IncludeRetElement: INCLUDE } };
    }
    const customer = ctx.customerOf(invoice.organizationId);
    const entity = customer?.listId ? { ListID: [customer.listId] } : customer?.fullName ? { FullName: [customer.fullName] } : undefined;
    return {
      type: 'InvoiceQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: invoice.invoiceDate, ToTxnDate: invoice.invoiceDate },
        ...(entity ? { EntityFilter: entity } : {}),
        IncludeRetElement: INCLUDE,
      },
    };
  },

  interpret(invoice: Invoice, response: QbxmlResponse, ctx: TranslateContext) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the invoice exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const stamp = invoiceStamp(invoice);
    const customer = ctx.customerOf(invoice.organizationId);
    const isCustomers = (ret: Record<string, unknown>) =>
      (!!customer?.listId && textOf(ret, 'CustomerRef.ListID') === customer.listId) ||
      (!!customer?.fullName && (textOf(ret, 'CustomerRef.FullName') ?? '').toLowerCase() === customer.fullName.toLowerCase());
    const rets = allRets(response, 'InvoiceRet');
    const match = byRefNumber(invoice, ctx)
      ? (rets.find((r) => textOf(r, 'Other') === stamp) ?? rets.find(isCustomers))
      : rets.find((r) => textOf(r, 'Other') === stamp);
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
