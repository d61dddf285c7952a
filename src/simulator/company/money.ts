/**
 * Decimal arithmetic for money, quantities and rates without binary floating point: amounts are integer
 * cents; quantities, rates and percentages are exact decimal strings (qbXML allows up to 5 decimals) that
 * are multiplied as scaled BigInts and rounded half away from zero, like QuickBooks' amount rounding.
 */

/** A decimal number as an integer and a power-of-ten scale: `12.345` → `{ units: 12345n, scale: 3 }`. */
interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

function toScaled(text: string): Scaled {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal number: "${text}"`);
  const fraction = m[3] ?? '';
  const units = BigInt(`${m[2] || '0'}${fraction}`);
  return { units: m[1] === '-' ? -units : units, scale: fraction.length };
}

/** Divides by 10^shift rounding half away from zero. */
function roundShift(units: bigint, shift: number): bigint {
  if (shift <= 0) return units * 10n ** BigInt(-shift);
  const divisor = 10n ** BigInt(shift);
  const quotient = units / divisor;
  const remainder = units % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) return quotient + (units < 0n ? -1n : 1n);
  return quotient;
}

/** Whether `text` is a decimal number the simulator can compute with. */
export function isDecimal(text: string): boolean {
  const m = DECIMAL.exec(text.trim());
  return m !== null && !(m[2] === '' && (m[3] ?? '') === '');
}

/** `"12.3"` → 1230 cents (rounded half away from zero beyond two decimals). */
export function parseCents(text: string): number {
  const { units, scale } = toScaled(text);
  return Number(roundShift(units, scale - 2));
}

/** 1230 → `"12.30"`; -5 → `"-0.05"` (qbXML AMTTYPE: always two decimals). */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** quantity × rate, in cents, rounded half away from zero (QuickBooks' line Amount when none is given). */
export function multiplyToCents(quantity: string, rate: string): number {
  const q = toScaled(quantity);
  const r = toScaled(rate);
  return Number(roundShift(q.units * r.units, q.scale + r.scale - 2));
}

/** amount × percent / 100, in cents (sales tax, percentage discounts). */
export function percentOfCents(cents: number, percent: string): number {
  const p = toScaled(percent);
  return Number(roundShift(BigInt(cents) * p.units, p.scale + 2));
}

/** Normalises a decimal for output: `"1.50000"` → `"1.5"`, `".5"` → `"0.5"`, `"2."` → `"2"`. */
export function normalizeDecimal(text: string): string {
  const { units, scale } = toScaled(text);
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  let intPart = digits.slice(0, digits.length - scale);
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : '';
  fraction = fraction.replace(/0+$/, '');
  digits = fraction ? `${intPart}.${fraction}` : intPart;
  intPart = digits;
  return negative && units !== 0n ? `-${intPart}` : intPart;
}

/** cents / divisor as a decimal with `decimals` places (rounded half away from zero): a line's Rate from Amount and Quantity. */
export function divideCents(cents: number, divisor: string, decimals = 5): string {
  const d = toScaled(divisor);
  if (d.units === 0n) throw new RangeError('division by zero');
  let numerator = BigInt(cents) * 10n ** BigInt(d.scale + decimals);
  let denominator = 100n * d.units;
  if (denominator < 0n) {
    denominator = -denominator;
    numerator = -numerator;
  }
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if ((remainder < 0n ? -remainder : remainder) * 2n >= denominator) quotient += numerator < 0n ? -1n : 1n;
  const negative = quotient < 0n;
  const digits = (negative ? -quotient : quotient).toString().padStart(decimals + 1, '0');
  const text = decimals > 0 ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return negative ? `-${text}` : text;
}

/** a × b exactly, as a normalised decimal string (group line quantities). */
export function multiplyDecimals(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const units = x.units * y.units;
  const scale = x.scale + y.scale;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return normalizeDecimal(negative ? `-${text}` : text);
}

/** a + b exactly, as a normalised decimal string (on-hand quantities and their differences). */
export function addDecimals(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const units = x.units * 10n ** BigInt(scale - x.scale) + y.units * 10n ** BigInt(scale - y.scale);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return normalizeDecimal(negative ? `-${text}` : text);
}

/** a − b exactly, as a normalised decimal string. */
export function subtractDecimals(a: string, b: string): string {
  return addDecimals(a, b.trim().startsWith('-') ? b.trim().slice(1) : `-${b.trim()}`);
}
