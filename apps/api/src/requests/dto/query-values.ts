import { z } from 'zod';

/**
 * Query values that PostgreSQL can always hold, checked before any SQL runs: a value the API
 * accepts must never turn into a database error (a 500, which counts against the deploy alarm).
 */

/** Strict decimal digits: no sign, spaces, hex (0x10), exponent (1e2) or fraction (5.0). */
export const DECIMAL_DIGITS = /^[0-9]+$/;

/** A whole number in [min, max], written in plain decimal digits. */
export function decimalInteger(min: number, max: number, message: string) {
  return z
    .string({ error: message })
    .regex(DECIMAL_DIGITS, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}

/** PostgreSQL's bigint range, the type of request_log.id. */
export const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function fitsBigint(digits: string): boolean {
  return DECIMAL_DIGITS.test(digits) && BigInt(digits) <= MAX_BIGINT;
}

/**
 * ISO-8601 date-time with a UTC offset: years 0001-9999 (PostgreSQL has no year 0), a real
 * calendar day, no leap second, fractions to nanoseconds (PostgreSQL rounds to microseconds),
 * and an offset within ±15:59, the widest PostgreSQL accepts.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const MAX_OFFSET_HOURS = 15;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isStorableDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= MAX_OFFSET_HOURS &&
    offsetMinutes <= 59
  );
}

/** A date-time PostgreSQL stores exactly as given (see isStorableDateTime). */
export function storableDateTime(message: string) {
  return z.string({ error: message }).refine(isStorableDateTime, { error: message });
}

/** Text PostgreSQL can compare with a column: NUL is the one character it cannot hold. */
export function storableText(maxLength: number) {
  return z
    .string({ error: 'must be a single text value' })
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .refine((text) => !text.includes('\0'), { error: 'must not contain NUL characters' });
}
