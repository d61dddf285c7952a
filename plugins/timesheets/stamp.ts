/**
 * How a QuickBooks time activity is recognised as a day-row's: the ExternalGUID its TimeTrackingAdd carried
 * (derived from the connector and the day-row; TimeTrackingQuery cannot filter by it, so a lookup reads the
 * name's activities of the day and compares). Notes start with the Autotask time entries summed, for people.
 */
import { externalGuid, fit, type TimeActivity, type TranslateContext } from '../sdk/index.js';

export function activityGuid(activity: Pick<TimeActivity, 'id'>, ctx: TranslateContext): string {
  return externalGuid(ctx.connector, 'TIME_ACTIVITY', activity.id);
}

/** `[AT-TE 101,102] summary notes`, within QuickBooks' 4095 characters. */
export function activityNotes(activity: Pick<TimeActivity, 'timeEntryAutotaskIds' | 'notes'>): string {
  const tag = `[AT-TE ${activity.timeEntryAutotaskIds.join(',')}]`;
  return fit(activity.notes ? `${tag} ${activity.notes}` : tag, 4095);
}
