/**
 * TxnDel, by TxnDelType: the transaction types the simulator models deletes for (time activities, item
 * receipts); any other type answers 1030 like a request the simulator does not model.
 */
import { QB_STATUS } from '../../company/status-codes.js';
import type { RequestContext, RequestHandler } from '../context.js';
import type { RetAggregate } from '../response-writer.js';
import { childText } from '../../../qbxml/xml-tree.js';
import { deleteItemReceipt } from './item-receipts.js';
import { deleteTimeTracking } from './time-tracking.js';

const DELETERS: Readonly<Record<string, (ctx: RequestContext, txnId: string) => { txnId: string }>> = {
  TimeTracking: deleteTimeTracking,
  ItemReceipt: deleteItemReceipt,
};

const deleteTxn: RequestHandler = (ctx) => {
  const type = childText(ctx.request, 'TxnDelType') ?? '';
  const deleter = DELETERS[type];
  if (!deleter) return { status: QB_STATUS.unsupportedRequest(`TxnDelRq for ${type}`) };
  const record = deleter(ctx, childText(ctx.request, 'TxnID') ?? '');
  // TxnDelRs holds the TxnDelRet group's elements directly, each written as its own element.
  const ret: Record<string, string> = { TxnDelType: type, TxnID: record.txnId, TimeDeleted: ctx.company.stamps.timestamp() };
  return { rets: Object.entries(ret).map(([name, value]) => ({ name, value: value as unknown as RetAggregate })) };
};

export const txnDelHandlers: Record<string, RequestHandler> = { TxnDelRq: deleteTxn };
