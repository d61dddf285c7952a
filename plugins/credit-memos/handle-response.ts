/** QuickBooks' answer to CreditMemoAdd: the ids to store, or QuickBooks' error with a hint. */
import { allRets, commonHint, failure, isError, textOf, type Invoice, type QbxmlResponse, type ResponseContext, type ResponseOutcome } from '../sdk/index.js';

export function handleResponse(response: QbxmlResponse, _ctx: ResponseContext<Invoice>): ResponseOutcome {
  if (isError(response)) return failure(response, commonHint(response.statusCode) ?? 'Fix what QuickBooks reports, then transfer the credit again.');
  const ret = allRets(response, 'CreditMemoRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the credit memo: look for it in QuickBooks before transferring it again.');
  return {
    kind: 'succeeded',
    ids: { txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null },
    note: `Credit memo ${textOf(ret, 'RefNumber') ?? txnId} added.`,
  };
}
