/**
 * How QuickBooks Desktop stamps records: ListID/TxnID `80000001-1234567890` (a per-file hex counter, a dash,
 * the creation time in Unix seconds), EditSequence (Unix seconds of the last change, as text) and
 * TimeCreated/TimeModified as local time with its UTC offset (`2026-11-25T10:11:12-05:00`).
 */
import type { CompanyFileData } from './types.js';

/** Unix seconds of a date. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Formats a date as qbXML DATETIMETYPE in the company machine's fixed UTC offset. */
export function formatDateTime(date: Date, utcOffsetMinutes: number): string {
  const local = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(Math.abs(utcOffsetMinutes) / 60))}:${pad(Math.abs(utcOffsetMinutes) % 60)}`;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${offset}`
  );
}

/** Formats a date as qbXML DATETYPE (`YYYY-MM-DD`) in the company machine's UTC offset. */
export function formatDate(date: Date, utcOffsetMinutes: number): string {
  return formatDateTime(date, utcOffsetMinutes).slice(0, 10);
}

/**
 * Parses qbXML DATETIMETYPE / DATETYPE text into an instant. Without an offset the company's offset applies
 * (QuickBooks reads such times as local time); a date alone means the start of that local day.
 */
export function parseDateTime(text: string, utcOffsetMinutes: number): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2}):?(\d{2})|Z)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', sign, oh, om] = m;
  let offset = utcOffsetMinutes;
  if (sign) offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  else if (text.trim().endsWith('Z')) offset = 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return new Date(utc - offset * 60_000);
}

/** Issues ListIDs, TxnIDs and EditSequences for one company file (the counter lives in the file). */
export class RecordStamps {
  constructor(
    private readonly data: CompanyFileData,
    private readonly clock: () => Date,
  ) {}

  /** Now, from the simulator's clock. */
  now(): Date {
    return this.clock();
  }

  /** A new ListID or TxnID: next hex counter value, dash, Unix seconds. */
  newId(): string {
    const counter = this.data.nextRecordNumber++;
    return `${counter.toString(16).toUpperCase()}-${unixSeconds(this.clock())}`;
  }

  /**
   * The EditSequence for a change made now. QuickBooks uses the Unix time; two changes within one second
   * must still differ (the old value has to become stale), so it never repeats or goes back.
   */
  nextEditSequence(previous?: string): string {
    const now = unixSeconds(this.clock());
    const prev = previous === undefined ? Number.NaN : Number(previous);
    return String(Number.isFinite(prev) && prev >= now ? prev + 1 : now);
  }

  /** TimeCreated/TimeModified text for now. */
  timestamp(): string {
    return formatDateTime(this.clock(), this.data.utcOffsetMinutes);
  }

  /** Today's date (DATETYPE) in the company's time zone, the default TxnDate. */
  today(): string {
    return formatDate(this.clock(), this.data.utcOffsetMinutes);
  }
}
