/**
 * QuickBooks timestamps (DATETIMETYPE, `2026-11-25T10:11:12-05:00`). QuickBooks writes TimeModified in the
 * company machine's local time with an offset, and reads FromModifiedDate as local time; some versions give the
 * standard-time offset during daylight saving time. So the high-water mark is kept exactly as QuickBooks wrote
 * it, and the next FromModifiedDate is computed on that wall-clock text (minus an overlap) with the same
 * offset: whatever QuickBooks means by its own text, it means the same when it reads it back.
 */

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:?\d{2})?$/;

/** The instant a QuickBooks timestamp names (undefined when it is not one). Without an offset: read as UTC. */
export function parseQbDateTime(text: string | null | undefined): Date | undefined {
  const m = text ? DATETIME.exec(text.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!zone || zone === 'Z') return new Date(wall);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  return new Date(wall - offsetMinutes * 60_000);
}

/** The later of two QuickBooks timestamps (by instant); either may be missing. */
export function laterQbDateTime(a: string | null | undefined, b: string | null | undefined): string | null {
  const ta = parseQbDateTime(a)?.getTime();
  const tb = parseQbDateTime(b)?.getTime();
  if (ta === undefined) return tb === undefined ? null : b!;
  if (tb === undefined) return a!;
  return tb > ta ? b! : a!;
}

/**
 * FromModifiedDate for an incremental pull: the high-water mark's wall-clock time minus `overlapMinutes`,
 * written with the high-water mark's own offset (none if it had none).
 */
export function fromModifiedDate(highWaterMark: string, overlapMinutes: number): string {
  const m = DATETIME.exec(highWaterMark.trim());
  if (!m) throw new Error(`not a QuickBooks timestamp: ${highWaterMark}`);
  const [, y, mo, d, h, mi, s, zone] = m;
  const wall = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - overlapMinutes * 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const text =
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  if (!zone) return text;
  // DATETIMETYPE wants ±hh:mm; QuickBooks never writes Z, but a Z mark is still UTC.
  if (zone === 'Z') return `${text}+00:00`;
  return `${text}${zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`}`;
}
