import { z } from 'zod';

/**
 * Epoch ms as a DateTime64(3) input literal (`seconds.millis`, parsed as UTC by ClickHouse in every
 * text and JSON input format). A JSON number with a fraction is NOT accepted for DateTime64, hence a
 * string. Cheaper than formatting a calendar date.
 */
export function toDateTime64(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const millis = ms - seconds * 1000;
  // ClickHouse reads a short run of digits as a date, not as seconds ('1.000' fails): below 10^9 s
  // (before 2001-09-09) and before 1970 the calendar form is used instead.
  if (seconds < 1_000_000_000) return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  return `${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`;
}

/** Epoch ms accepted in a row: a safe integer within the DateTime64(3) range (1900..2299). */
export const epochMsSchema = z
  .int()
  .min(Date.UTC(1900, 0, 1))
  .max(10_413_792_000_000);

/** A 64-bit integer read back from ClickHouse: a number (chdb) or a quoted string (HTTP server). */
export const int64Schema = z.coerce.number().pipe(z.number().int());
