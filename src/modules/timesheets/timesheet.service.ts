/**
 * Approving a resource's timesheet period (F1: Autotask's API cannot tell an approved timesheet, so an
 * accountant confirms it). The period comes from the connector the resource is routed to (its route, else
 * the default connector: resource routing decides where timesheets go). Its time entries are grouped into
 * time activities — one per day × organization × work type × payroll category × line of business × billable
 * (F4) — and each is queued to that connector.
 *
 * Approving again (after a change in Autotask) compares the new groups with the stored ones and queues only
 * what changed: a changed day that is in QuickBooks is queued again with its QuickBooks ids (the plugin sends
 * TimeTrackingMod), a day whose entries are gone is queued with 0 hours (TxnDel), a new day is added.
 * Unchanged days are left alone, so hours are never sent twice.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { Actor } from '../audit/actor.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { TimeEntry } from '../autotask/time-entry.entity.js';
import { canonicalDecimal } from '../autotask/autotask-values.js';
import { RouteSubject } from '../routing/route.entity.js';
import { resolveRoutes } from '../routing/routing.service.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { cancel, enqueueAll, requeueChanged } from '../transfer/transfer-ledger.js';
import { CANCELLABLE_STATES, TransferEntityType, TransferState } from '../transfer/transfer-state.js';
import { periodContaining } from './periods.js';
import { TimeActivity, TimesheetApproval } from './timesheet.entity.js';

export interface ApproveTimesheetRequest {
  readonly resourceAutotaskId: number;
  /** Any day of the period (YYYY-MM-DD). */
  readonly date: string;
}

/** What the approval changed. */
export interface ApprovalOutcome {
  readonly approval: TimesheetApproval;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

/** The values a time activity is made of, from its entries. */
interface Group {
  readonly key: string;
  readonly date: string;
  readonly organizationAutotaskId: number | null;
  readonly workTypeId: string | null;
  readonly workTypeName: string | null;
  readonly payrollCategoryId: string | null;
  readonly payrollCategoryName: string | null;
  readonly lineOfBusinessId: string | null;
  readonly billable: boolean;
  hoursUnits: bigint;
  readonly entryIds: number[];
  readonly notes: string[];
}

const HOURS_SCALE = 4;
const units = (hours: string): bigint => BigInt(canonicalDecimal(hours, HOURS_SCALE).replace('.', ''));
const hoursText = (value: bigint): string => canonicalDecimal(`${value / 10_000n}.${String(value % 10_000n).padStart(4, '0')}`, HOURS_SCALE);

export async function approveTimesheet(em: EntityManager, request: ApproveTimesheetRequest, actor: Actor): Promise<ApprovalOutcome> {
  return em.transactional(async (tx) => {
    const resource = await tx.findOne(Resource, { autotaskId: request.resourceAutotaskId });
    if (!resource) throw AppError.notFound('Resource', String(request.resourceAutotaskId));
    const [route] = await resolveRoutes(tx, RouteSubject.RESOURCE, [resource.autotaskId]);
    const connector = route?.connector;
    if (!connector) throw AppError.invalidInput([{ field: 'resourceAutotaskId', message: 'no connector exists yet: create one first' }]);
    const period = periodContaining(connector.timesheetPeriod, connector.timesheetPeriodAnchor, request.date);

    const entries = await tx.find(TimeEntry, { resource, dateWorked: { $gte: period.start, $lte: period.end } }, { orderBy: { dateWorked: 'asc', autotaskId: 'asc' } });
    const groups = groupEntries(entries);
    const organizationIds = [...new Set([...groups.values()].flatMap((g) => (g.organizationAutotaskId == null ? [] : [g.organizationAutotaskId])))];
    const organizations = new Map((await tx.find(Organization, { autotaskId: { $in: organizationIds } })).map((o) => [o.autotaskId, o]));
    const missing = organizationIds.filter((id) => !organizations.has(id));
    if (missing.length) {
      throw AppError.invalidInput([{ field: 'timeEntries', message: `time entries name organizations that were never pushed (Autotask ids ${missing.join(', ')}): push them with upsertOrganizations first` }]);
    }

    const found = await tx.findOne(TimesheetApproval, { resource, periodStart: period.start }, { populate: ['activities'] });
    const approval: TimesheetApproval = found ?? new TimesheetApproval(resource, period.start, period.end, actor.name);
    if (!found) tx.persist(approval);
    approval.approvedBy = actor.name;
    approval.approvedAt = new Date();
    const stored = new Map(approval.activities.getItems().map((a) => [a.groupKey, a]));
    const items = new Map(
      stored.size
        ? (await tx.find(TransferItem, { entityType: TransferEntityType.TIME_ACTIVITY, entityId: { $in: [...stored.values()].map((a) => a.id) } })).map((i) => [i.entityId, i])
        : [],
    );

    const toQueue: TimeActivity[] = [];
    const changedInQuickBooks: TransferItem[] = [];
    let added = 0, changed = 0, removed = 0, unchanged = 0;
    const touch = (activity: TimeActivity) => {
      const item = items.get(activity.id);
      if (item && (item.state === TransferState.SENT || item.state === TransferState.NEEDS_RECONCILE)) {
        throw new AppError(
          'TIMESHEET_IN_FLIGHT',
          `The time of ${activity.date} is on its way to QuickBooks (${item.state}): approve the period again once the Web Connector has finished (or settle ${item.id}).`,
        );
      }
      if (item?.state === TransferState.SUCCEEDED) changedInQuickBooks.push(item);
      else toQueue.push(activity);
    };
    for (const group of groups.values()) {
      const values = activityValues(group, organizations);
      const existing = stored.get(group.key);
      if (!existing) {
        const activity = Object.assign(new TimeActivity(approval, group.key, group.date, group.billable, values.hours), values);
        tx.persist(activity);
        toQueue.push(activity);
        added++;
      } else if (sameActivity(existing, values)) {
        unchanged++;
      } else {
        Object.assign(existing, values);
        touch(existing);
        changed++;
      }
    }
    for (const activity of stored.values()) {
      if (groups.has(activity.groupKey) || units(activity.hours) === 0n) continue;
      const item = items.get(activity.id);
      if (item?.state === TransferState.SUCCEEDED || item?.state === TransferState.SENT || item?.state === TransferState.NEEDS_RECONCILE) {
        // In QuickBooks (or maybe): 0 hours make the plugin delete the record.
        Object.assign(activity, { hours: '0.0000', timeEntryAutotaskIds: [], notes: null });
        touch(activity);
      } else {
        // Never reached QuickBooks: withdraw it.
        if (item && CANCELLABLE_STATES.has(item.state)) cancel(item, actor);
        approval.activities.remove(activity);
        tx.remove(activity);
      }
      removed++;
    }
    for (const item of changedInQuickBooks) requeueChanged(item, actor, 'changed in Autotask after the transfer: re-approved');
    await enqueueAll(tx, toQueue.map((a) => ({ connector, entityType: TransferEntityType.TIME_ACTIVITY, entityId: a.id, actor })));
    await tx.flush();
    return { approval, added, changed, removed, unchanged };
  });
}

/** F4: one group per day × organization × work type × payroll category × line of business × billable. */
function groupEntries(entries: readonly TimeEntry[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const e of entries) {
    const billable = !e.isNonBillable && e.organizationAutotaskId != null;
    const key = JSON.stringify([e.dateWorked, e.organizationAutotaskId, e.workTypeId, e.payrollCategoryId, e.lineOfBusinessId, billable]);
    let group = groups.get(key);
    if (!group) {
      group = {
        key, date: e.dateWorked, organizationAutotaskId: e.organizationAutotaskId, workTypeId: e.workTypeId, workTypeName: e.workTypeName,
        payrollCategoryId: e.payrollCategoryId, payrollCategoryName: e.payrollCategoryName, lineOfBusinessId: e.lineOfBusinessId,
        billable, hoursUnits: 0n, entryIds: [], notes: [],
      };
      groups.set(key, group);
    }
    group.hoursUnits += units(e.hoursWorked);
    group.entryIds.push(e.autotaskId);
    if (e.summaryNotes?.trim()) group.notes.push(e.summaryNotes.trim());
  }
  return groups;
}

type ActivityValues = Pick<TimeActivity, 'hours' | 'organization' | 'workTypeId' | 'workTypeName' | 'payrollCategoryId' | 'payrollCategoryName' | 'lineOfBusinessId' | 'billable' | 'notes' | 'timeEntryAutotaskIds'>;

function activityValues(group: Group, organizations: ReadonlyMap<number, Organization>): ActivityValues {
  return {
    hours: hoursText(group.hoursUnits),
    organization: group.organizationAutotaskId == null ? null : organizations.get(group.organizationAutotaskId)!,
    workTypeId: group.workTypeId,
    workTypeName: group.workTypeName,
    payrollCategoryId: group.payrollCategoryId,
    payrollCategoryName: group.payrollCategoryName,
    lineOfBusinessId: group.lineOfBusinessId,
    billable: group.billable,
    notes: group.notes.length ? group.notes.join('\n') : null,
    timeEntryAutotaskIds: group.entryIds,
  };
}

/** Whether QuickBooks' record would stay the same: its duration and notes (which name the entries) are made of these. */
function sameActivity(activity: TimeActivity, values: ActivityValues): boolean {
  return units(activity.hours) === units(values.hours) && (activity.notes ?? null) === values.notes &&
    JSON.stringify(activity.timeEntryAutotaskIds) === JSON.stringify(values.timeEntryAutotaskIds);
}
