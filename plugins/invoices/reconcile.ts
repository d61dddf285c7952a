/**
 * Exactly once for invoices. QuickBooks cannot filter invoices by ExternalGUID, so the lookup asks for a
 * narrow candidate set — by RefNumber with Autotask's numbers, else the customer's invoices of the invoice
 * date — and recognises ours by the ExternalGUID in the returned Rets. `Other` (the `AT:<id>` stamp people can
 * edit) and the customer only count for invoices that carry no GUID (sent before GUIDs were used).
 */
import { allRets, isError, sameGuid, textOf, type Invoice, type PlannedRequest, type QbxmlResponse, type Reconciler, type TranslateContext } from '../sdk/index.js';
import { invoiceGuid, invoiceStamp, refNumberOf } from './stamp.js';

const INCLUDE = ['TxnID', 'RefNumber', 'EditSequence', 'TxnDate', 'CustomerRef', 'Other', 'ExternalGUID'];

function refNumber(invoice: Invoice, ctx: TranslateContext): string | undefined {
  const fitted = refNumberOf(invoice, ctx);
  return fitted?.ok ? fitted.value : undefined;
}

export const reconcile: Reconciler<Invoice> = {
  query(invoice, ctx): PlannedRequest {
    const number = refNumber(invoice, ctx);
    if (number) return { type: 'InvoiceQueryRq', role: 'main', body: { RefNumber: [number], IncludeRetElement: INCLUDE } };
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
    const guid = invoiceGuid(invoice, ctx);
    const stamp = invoiceStamp(invoice);
    const customer = ctx.customerOf(invoice.organizationId);
    const isCustomers = (ret: Record<string, unknown>) =>
      (!!customer?.listId && textOf(ret, 'CustomerRef.ListID') === customer.listId) ||
      (!!customer?.fullName && (textOf(ret, 'CustomerRef.FullName') ?? '').toLowerCase() === customer.fullName.toLowerCase());
    const rets = allRets(response, 'InvoiceRet');
    const legacy = rets.filter((r) => !textOf(r, 'ExternalGUID'));
    const match =
      rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid)) ??
      legacy.find((r) => textOf(r, 'Other') === stamp) ??
      (refNumber(invoice, ctx) ? legacy.find(isCustomers) : undefined);
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
