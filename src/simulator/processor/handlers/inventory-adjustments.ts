/**
 * InventoryAdjustmentAdd / InventoryAdjustmentQuery, and the on-hand quantity ItemInventoryRet reports.
 * QuickBooks keeps only differences: a `QuantityAdjustment/NewQuantity` line is stored as the difference to
 * the item's on-hand quantity at that moment, a `QuantityDifference` line as given, and the item's
 * QuantityOnHand moves by it (the Ret reports QuantityDifference and ValueDifference = difference × the
 * item's PurchaseCost). ValueAdjustment (quantity and value) and serial/lot adjustments are answered 1030.
 *
 * Two refusals of QuickBooks: inventory turned off (3250), and a company file open in multi-user mode
 * (3180, the `openInMultiUserMode` test hook; parity-transfers.md F3: inventory adjustments need single-user).
 */
import { addDecimals, formatCents, multiplyToCents, normalizeDecimal, subtractDecimals } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { InventoryAdjustmentLineRecord, InventoryAdjustmentRecord, ItemRecord } from '../../company/types.js';
import type { SimulatedCompanyFile } from '../../company/company-file.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed, type XmlElement } from '../../../qbxml/xml-tree.js';
import { requestAggregate } from './shared.js';

const HEADER_FIELDS = new Set(['AccountRef', 'TxnDate', 'RefNumber', 'CustomerRef', 'ClassRef', 'InventoryAdjustmentLineAdd']);
const CONTEXT = 'Inventory Adjustment';

/** The company file's inventory adjustments (a file written before they were modelled has none). */
export function inventoryAdjustmentsOf(company: SimulatedCompanyFile): InventoryAdjustmentRecord[] {
  return (company.data.inventoryAdjustments ??= []);
}

/** An inventory part's on-hand quantity: what its Add gave (QuantityOnHand), moved by every adjustment since. */
export function quantityOnHand(item: ItemRecord): string {
  const stored = item.fields['QuantityOnHand'];
  return typeof stored === 'string' ? normalizeDecimal(stored) : '0';
}

function setQuantityOnHand(item: ItemRecord, quantity: string): void {
  item.fields['QuantityOnHand'] = quantity;
}

function resolveId(company: SimulatedCompanyFile, element: XmlElement | undefined, name: string): string | undefined {
  return element ? company.resolveRef(name, refInput(element), CONTEXT).record.listId : undefined;
}

/** One line: the inventory part it names (3140 for another item type) and its quantity difference. */
function readLine(company: SimulatedCompanyFile, element: XmlElement): { item: ItemRecord; difference: string } {
  const ref = child(element, 'ItemRef')!;
  const itemId = resolveId(company, ref, 'ItemRef')!;
  const item = company.findById('items', itemId) as ItemRecord;
  if (item.type !== 'Inventory') refuse(QB_STATUS.invalidReference('Item', refInput(ref).fullName ?? itemId, CONTEXT));
  const quantity = child(element, 'QuantityAdjustment');
  if (!quantity) refuse(QB_STATUS.unsupportedRequest('InventoryAdjustmentAddRq with ValueAdjustment, SerialNumberAdjustment or LotNumberAdjustment'));
  const newQuantity = childText(quantity, 'NewQuantity');
  const difference = newQuantity !== undefined ? subtractDecimals(newQuantity, quantityOnHand(item)) : normalizeDecimal(childText(quantity, 'QuantityDifference') ?? '0');
  return { item, difference };
}

function adjustmentRet(ctx: RequestContext, adjustment: InventoryAdjustmentRecord, withLines: boolean): RetElement {
  const { company, model } = ctx;
  return {
    name: 'InventoryAdjustmentRet',
    value: {
      ...storedToRet(company, model.element('InventoryAdjustmentRet')!, adjustment.fields),
      TxnID: adjustment.txnId,
      TimeCreated: adjustment.timeCreated,
      TimeModified: adjustment.timeModified,
      EditSequence: adjustment.editSequence,
      TxnNumber: String(adjustment.txnNumber),
      AccountRef: refRet(company, adjustment.accountId),
      TxnDate: adjustment.txnDate,
      RefNumber: adjustment.refNumber,
      CustomerRef: refRet(company, adjustment.customerId),
      ClassRef: refRet(company, adjustment.classId),
      InventoryAdjustmentLineRet: withLines && adjustment.lines.length > 0
        ? adjustment.lines.map((line) => ({
          TxnLineID: line.txnLineId,
          ItemRef: refRet(company, line.itemId),
          QuantityDifference: line.quantityDifference,
          ValueDifference: formatCents(line.valueDifferenceCents),
        }))
        : undefined,
    },
  };
}

const addInventoryAdjustment: RequestHandler = (ctx) => {
  const { company } = ctx;
  if (!company.data.preferences.inventoryEnabled) refuse(QB_STATUS.featureNotEnabled());
  if (company.openInMultiUserMode) refuse(QB_STATUS.singleUserModeRequired('Inventory Adjustment transaction'));
  const aggregate = requestAggregate(ctx, 'InventoryAdjustmentAdd');
  const accountId = resolveId(company, child(aggregate, 'AccountRef'), 'AccountRef')!;
  // Every reference and line is checked before anything moves: a refused request leaves every item as it was.
  const read = childrenNamed(aggregate, 'InventoryAdjustmentLineAdd').map((element) => readLine(company, element));
  const adjustment: InventoryAdjustmentRecord = {
    ...company.newTxnStamps(company.nextTxnNumber()),
    txnDate: childText(aggregate, 'TxnDate') ?? company.stamps.today(),
    accountId,
    lines: [],
    fields: storeChildren(company, aggregate, CONTEXT, { skip: HEADER_FIELDS }),
  };
  const refNumber = childText(aggregate, 'RefNumber');
  if (refNumber !== undefined) adjustment.refNumber = refNumber;
  const customerId = resolveId(company, child(aggregate, 'CustomerRef'), 'CustomerRef');
  if (customerId) adjustment.customerId = customerId;
  const classId = resolveId(company, child(aggregate, 'ClassRef'), 'ClassRef');
  if (classId) adjustment.classId = classId;
  adjustment.lines = read.map(({ item, difference }): InventoryAdjustmentLineRecord => {
    setQuantityOnHand(item, addDecimals(quantityOnHand(item), difference));
    company.touch(item);
    const cost = item.fields['PurchaseCost'];
    return { txnLineId: company.stamps.newId(), itemId: item.listId, quantityDifference: difference, valueDifferenceCents: multiplyToCents(difference, typeof cost === 'string' ? cost : '0') };
  });
  inventoryAdjustmentsOf(company).push(adjustment);
  return { rets: [adjustmentRet(ctx, adjustment, true)] };
};

const queryInventoryAdjustments: RequestHandler = (ctx) =>
  answerQuery(
    ctx,
    () => selectTransactions(ctx, inventoryAdjustmentsOf(ctx.company), { entityOf: (a) => a.customerId, accountOf: (a) => a.accountId }),
    (id, shape) => {
      const adjustment = inventoryAdjustmentsOf(ctx.company).find((a) => a.txnId === id);
      return adjustment && adjustmentRet(ctx, adjustment, childBoolean(shape, 'IncludeLineItems') ?? false);
    },
  );

/** Inventory adjustment request handlers, by request element name. */
export const inventoryAdjustmentHandlers: Record<string, RequestHandler> = {
  InventoryAdjustmentAddRq: addInventoryAdjustment,
  InventoryAdjustmentQueryRq: queryInventoryAdjustments,
};
