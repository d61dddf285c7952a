/**
 * Exactly once for time: an Add whose answer was lost is looked for among the name's activities of that day
 * (TimeTrackingQuery has no RefNumber and no GUID filter) and recognised by its ExternalGUID; a Mod or TxnDel
 * whose answer was lost reads the record by TxnID and compares it with what was sent: the change is there
 * (same duration and notes, or the record is gone) → found; otherwise it is sent again.
 */
import { allRets, durationMinutes, hoursToDuration, isError, isZeroAmount, qbRef, sameGuid, textOf, type PlannedRequest, type Reconciler, type TimeActivity } from '../sdk/index.js';
import { activityGuid, activityNotes } from './stamp.js';

const INCLUDE = ['TxnID', 'EditSequence', 'TxnDate', 'EntityRef', 'Duration', 'Notes', 'ExternalGUID'];

export const reconcile: Reconciler<TimeActivity> = {
  query(activity, ctx): PlannedRequest {
    if (activity.inQuickBooks) return { type: 'TimeTrackingQueryRq', role: 'main', body: { TxnID: [activity.inQuickBooks.txnId], IncludeRetElement: INCLUDE } };
    const payee = ctx.timePayee?.(activity.resource.autotaskId);
    const entity = payee ? ('ListID' in qbRef(payee.ref) ? { ListID: [payee.ref.listId] } : { FullName: [payee.ref.fullName] }) : undefined;
    return {
      type: 'TimeTrackingQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: activity.date, ToTxnDate: activity.date },
        ...(entity ? { TimeTrackingEntityFilter: entity } : {}),
        IncludeRetElement: INCLUDE,
      },
    };
  },

  interpret(activity, response, ctx) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the time exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const rets = allRets(response, 'TimeTrackingRet');
    const sent = activity.inQuickBooks;
    if (sent) {
      const ret = rets.find((r) => textOf(r, 'TxnID') === sent.txnId);
      if (isZeroAmount(activity.hours)) return ret ? { absent: true } : { found: { txnId: '', editSequence: '' } };
      const applied = ret && durationMinutes(textOf(ret, 'Duration')) === durationMinutes(hoursToDuration(activity.hours)) && textOf(ret, 'Notes') === activityNotes(activity);
      return applied ? { found: { txnId: sent.txnId, editSequence: textOf(ret, 'EditSequence') ?? null } } : { absent: true };
    }
    const guid = activityGuid(activity, ctx);
    const match = rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid));
    const txnId = match && textOf(match, 'TxnID');
    return txnId ? { found: { txnId, editSequence: textOf(match, 'EditSequence') ?? null } } : { absent: true };
  },
};
