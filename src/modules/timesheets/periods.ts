/**
 * Timesheet periods by the connector's setting (Autotask's own period cannot be read through its API, F1):
 * weekly and bi-weekly periods repeat every 7 / 14 days from an anchor day; semi-monthly ones are the 1st–15th
 * and the 16th–last day. Dates are calendar dates (YYYY-MM-DD), computed in UTC so no time zone shifts them.
 */
import { TimesheetPeriod } from '../connector/connector-settings.js';

export interface Period {
  readonly start: string;
  readonly end: string;
}

const DAY_MS = 86_400_000;
const toDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The period of the given kind that contains `date`. */
export function periodContaining(kind: TimesheetPeriod, anchor: string, date: string): Period {
  if (kind === TimesheetPeriod.SEMI_MONTHLY) {
    const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const prefix = date.slice(0, 8);
    return dayOfMonth <= 15 ? { start: `${prefix}01`, end: `${prefix}15` } : { start: `${prefix}16`, end: `${prefix}${lastDay}` };
  }
  const length = kind === TimesheetPeriod.WEEKLY ? 7 : 14;
  const offset = (((toDay(date) - toDay(anchor)) % length) + length) % length;
  const start = toDay(date) - offset;
  return { start: fromDay(start), end: fromDay(start + length - 1) };
}
