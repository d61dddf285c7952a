/**
 * TimeTrackingAdd / Mod / Query and TxnDel of time: single time activities, the records QuickBooks' weekly
 * timesheet shows (one per name × day × customer × service item × payroll item). References are resolved as
 * QuickBooks does (3140 for one that does not exist); a billable activity needs a customer and a service item
 * (QuickBooks' rule, OSR timetrackingadd; the status it answers is not captured, 3210 is inferred [G]).
 * A Mod replaces every field (TimeTrackingMod carries the whole activity); TxnDel removes the record (txn-del.ts).
 */
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { TimeTrackingRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childText, childTexts, type XmlElement } from '../../../qbxml/xml-tree.js';
import { requestAggregate } from './shared.js';

const LABEL = 'Time Tracking';
/** Fields the record keeps outside `fields`. */
const CORE = new Set(['TxnID', 'EditSequence', 'TxnDate', 'EntityRef']);

function timeTrackingRet(ctx: RequestContext, record: TimeTrackingRecord): RetElement {
  const decl = ctx.model.element('TimeTrackingRet');
  if (!decl) throw new Error(`qbXML ${ctx.model.schemaSet} has no TimeTrackingRet`);
  const value: Record<string, unknown> = {
    TxnID: record.txnId,
    TimeCreated: record.timeCreated,
    TimeModified: record.timeModified,
    EditSequence: record.editSequence,
    TxnNumber: String(record.txnNumber),
    TxnDate: record.txnDate,
    EntityRef: refRet(ctx.company, record.entityId),
    ...storedToRet(ctx.company, decl, record.fields),
  };
  return { name: 'TimeTrackingRet', value: value as RetAggregate };
}

/** The entity, date and fields of an Add or Mod aggregate (throws 3140 / 3210 before anything changes). */
function readActivity(ctx: RequestContext, aggregate: XmlElement): Pick<TimeTrackingRecord, 'entityId' | 'txnDate' | 'fields'> {
  const { company } = ctx;
  const entityId = company.resolveRef('EntityRef', refInput(child(aggregate, 'EntityRef')!), LABEL).record.listId;
  const fields = storeChildren(company, aggregate, LABEL, { skip: CORE });
  if (childText(aggregate, 'BillableStatus') === 'Billable' && (!child(aggregate, 'CustomerRef') || !child(aggregate, 'ItemServiceRef'))) {
    refuse(QB_STATUS.invalidValue('BillableStatus', 'Billable', 'Billable time needs a customer:job and a service item.'));
  }
  return { entityId, txnDate: childText(aggregate, 'TxnDate') ?? company.stamps.today(), fields };
}

const addTimeTracking: RequestHandler = (ctx) => {
  const { company } = ctx;
  const activity = readActivity(ctx, requestAggregate(ctx, 'TimeTrackingAdd'));
  const record: TimeTrackingRecord = { ...company.newTxnStamps(company.nextTxnNumber()), ...activity };
  company.data.timeTracking.push(record);
  return { rets: [timeTrackingRet(ctx, record)] };
};

const findActivity = (ctx: RequestContext, txnId: string): TimeTrackingRecord => {
  const record = ctx.company.data.timeTracking.find((t) => t.txnId === txnId);
  if (!record) refuse(QB_STATUS.objectNotFound(txnId));
  return record;
};

const modTimeTracking: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'TimeTrackingMod');
  const record = findActivity(ctx, childText(aggregate, 'TxnID') ?? '');
  company.assertCurrent(record, childText(aggregate, 'EditSequence') ?? '');
  Object.assign(record, readActivity(ctx, aggregate));
  company.touch(record);
  return { rets: [timeTrackingRet(ctx, record)] };
};

const queryTimeTracking: RequestHandler = (ctx) => {
  const { company, request } = ctx;
  const filter = child(request, 'TimeTrackingEntityFilter');
  const entityIds = filter && new Set([
    ...childTexts(filter, 'ListID'),
    ...childTexts(filter, 'FullName').flatMap((name) => {
      for (const list of ['employees', 'vendors', 'otherNames'] as const) {
        const found = company.findByFullName(list, name);
        if (found) return [found.listId];
      }
      return [];
    }),
  ]);
  return answerQuery(
    ctx,
    () => {
      const selection = selectTransactions(ctx, company.data.timeTracking, { entityOf: (t) => t.entityId });
      if (!entityIds) return selection;
      return { ...selection, ids: selection.ids.filter((id) => entityIds.has(company.data.timeTracking.find((t) => t.txnId === id)!.entityId)) };
    },
    (id) => {
      const record = company.data.timeTracking.find((t) => t.txnId === id);
      return record && timeTrackingRet(ctx, record);
    },
  );
};

/** TxnDel of a time activity: removed (txn-del.ts dispatches TxnDel by type). */
export function deleteTimeTracking(ctx: RequestContext, txnId: string): { txnId: string } {
  const record = findActivity(ctx, txnId);
  const list = ctx.company.data.timeTracking;
  list.splice(list.indexOf(record), 1);
  return record;
}

/** Time tracking request handlers, by request element name. */
export const timeTrackingHandlers: Record<string, RequestHandler> = {
  TimeTrackingAddRq: addTimeTracking,
  TimeTrackingModRq: modTimeTracking,
  TimeTrackingQueryRq: queryTimeTracking,
};
