/**
 * The value formats pushed Autotask data must use, as class-validator decorators, and their canonical
 * forms. Values are stored canonically ("100" → "100.00", "" → null) so a second push of the same data
 * compares equal to what is stored and writes nothing.
 */
import { Matches, ValidateBy, type ValidationOptions } from 'class-validator';

/** Money: up to 13 digits before the point (numeric(15,2)) and 2 after. */
export const MONEY = /^-?\d{1,13}(\.\d{1,2})?$/;
/** Quantities and rates: up to 14 digits before the point (numeric(18,4)) and 4 after. */
export const DECIMAL4 = /^-?\d{1,14}(\.\d{1,4})?$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function IsMoney(options?: ValidationOptions): PropertyDecorator {
  return Matches(MONEY, { message: 'must be an amount written like -1234.56 (at most 13 digits before the point and 2 after)', ...options });
}

export function IsDecimal4(options?: ValidationOptions): PropertyDecorator {
  return Matches(DECIMAL4, { message: 'must be a number written like 1.25 (at most 14 digits before the point and 4 after)', ...options });
}

/** A real calendar date written YYYY-MM-DD (no time, no time zone), years 1900 to 2999. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: () => 'must be a real date written YYYY-MM-DD (years 1900 to 2999)',
      },
    },
    options,
  );
}

export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A decimal string in the form PostgreSQL returns it for a column of this scale: "-0012.5" → "-12.50". */
export function canonicalDecimal(value: string, scale: number): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(value);
  if (!match) throw new Error(`not a decimal: ${value}`);
  const whole = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').padEnd(scale, '0');
  const isZero = /^0+$/.test(whole + fraction);
  return `${match[1] && !isZero ? '-' : ''}${whole}${scale ? `.${fraction}` : ''}`;
}

export const money = (value: string): string => canonicalDecimal(value, 2);
export const decimal4 = (value: string): string => canonicalDecimal(value, 4);

/** Autotask's own rule for TimeEntries.hoursWorked: more than 0, at most 24. */
export const HOURS_WORKED_RULE = 'must be more than 0 and at most 24 (Autotask\'s own rule)';
export function isHoursWorked(hours: string | number): boolean {
  const value = Number(hours);
  return value > 0 && value <= 24;
}

/** Optional text: an empty string means "not set", like a missing value. */
export function optionalText(value: string | null | undefined): string | null {
  return value == null || value === '' ? null : value;
}
