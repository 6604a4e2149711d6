/**
 * ISO-8601 instants with a zone, parsed to epoch milliseconds with pure integer arithmetic.
 *
 * Accepted form (RFC 3339 profile of ISO-8601, plus the basic-format offset `±hhmm`):
 *
 *   YYYY-MM-DDThh:mm:ss[.f{1,9}](Z | ±hh:mm | ±hhmm)
 *
 * - `T` and `Z` may be lower case (RFC 3339 §5.6). A space instead of `T` is rejected.
 * - The zone is required: a zone-less ("local") date-time is rejected, because its instant is unknown.
 * - Seconds are required; the fraction is optional, 1–9 digits. Digits past the millisecond are
 *   truncated (toward the earlier instant), never rounded: `.9999` → `.999`.
 * - The date must exist in the proleptic Gregorian calendar (`2026-02-30` is rejected). Hours are
 *   00–23, minutes and seconds 00–59 (no leap second `60`, no `24:00`). Offset hours 00–23, minutes
 *   00–59; `-00:00` is read as UTC.
 * - Years are exactly four digits (0000–9999); instants before 1970 give negative epoch ms.
 *
 * No `Date` parsing is used: `Date.parse` accepts zone-less strings as local time and rolls
 * `02-30` over to March.
 */

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const MS_PER_DAY = 86_400_000;

export type InstantParse = { ok: true; ms: number } | { ok: false; problem: string };

/** Whether `year` is a leap year in the proleptic Gregorian calendar. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`), exact for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Parses an instant and explains what is wrong when it cannot. Never throws. */
export function parseInstantDetailed(s: string): InstantParse {
  const ms = parseWellFormedInstant(s);
  return Number.isNaN(ms) ? parseInstantByPattern(s) : { ok: true, ms };
}

const digitAt = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const twoDigitsAt = (s: string, i: number): number => digitAt(s, i) * 10 + digitAt(s, i + 1);
const isChar = (s: string, i: number, lower: number, upper = lower) => {
  const c = s.charCodeAt(i);
  return c === lower || c === upper;
};

/**
 * The hot path of `parseInstantDetailed` (every event's eventTime, at the gateway and again in the
 * dedupe consumer): the same grammar read by char codes, no regex match array, no substrings.
 * Returns NaN for anything it does not accept whole, including valid-looking but out-of-range
 * values: `parseInstantByPattern` then gives the answer and the precise problem.
 */
function parseWellFormedInstant(s: string): number {
  const n = s.length;
  if (n < 20 || !isChar(s, 4, 45) || !isChar(s, 7, 45) || !isChar(s, 10, 84, 116)) return Number.NaN;
  if (!isChar(s, 13, 58) || !isChar(s, 16, 58)) return Number.NaN;
  const year = twoDigitsAt(s, 0) * 100 + twoDigitsAt(s, 2);
  if (Number.isNaN(year)) return Number.NaN;
  const month = twoDigitsAt(s, 5);
  const day = twoDigitsAt(s, 8);
  const hour = twoDigitsAt(s, 11);
  const minute = twoDigitsAt(s, 14);
  const second = twoDigitsAt(s, 17);
  // NaN (a non-digit) fails every comparison, so each of these also checks the digits.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  let i = 19;
  let millis = 0;
  if (isChar(s, i, 46)) {
    const start = ++i;
    while (i < n && i - start < 9 && !Number.isNaN(digitAt(s, i))) {
      if (i - start < 3) millis += digitAt(s, i) * (i === start ? 100 : i === start + 1 ? 10 : 1);
      i++;
    }
    if (i === start) return Number.NaN;
  }
  let offsetMinutes = 0;
  if (isChar(s, i, 90, 122)) {
    if (i + 1 !== n) return Number.NaN;
  } else if (isChar(s, i, 43, 45)) {
    const colon = isChar(s, i + 3, 58) ? 1 : 0;
    if (i + 5 + colon !== n) return Number.NaN;
    const oh = twoDigitsAt(s, i + 1);
    const om = twoDigitsAt(s, i + 3 + colon);
    if (!(oh <= 23 && om <= 59)) return Number.NaN;
    offsetMinutes = (isChar(s, i, 45) ? -1 : 1) * (oh * 60 + om);
  } else return Number.NaN;
  const local =
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return local - offsetMinutes * 60_000;
}

/** The reference reading of the grammar (the regex), and the source of every problem message. Exported for its test. */
export function parseInstantByPattern(s: string): InstantParse {
  const m = INSTANT_RE.exec(s);
  if (m === null) {
    return { ok: false, problem: 'is not an ISO-8601 date-time of the form YYYY-MM-DDThh:mm:ss[.fff]Z' };
  }
  const [, ys, mos, ds, hs, mis, ss, frac, z, sign, ohs, oms] = m;
  if (z === undefined && sign === undefined) {
    return { ok: false, problem: 'has no zone designator (expected Z, ±hh:mm or ±hhmm)' };
  }
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, problem: `is not a valid calendar date (${ys}-${mos}-${ds})` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, problem: `is not a valid time of day (${hs}:${mis}:${ss})` };
  }
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const oh = Number(ohs);
    const om = Number(oms);
    if (oh > 23 || om > 59) {
      return { ok: false, problem: `has an invalid zone offset (${sign}${ohs}:${oms})` };
    }
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const local =
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return { ok: true, ms: local - offsetMinutes * 60_000 };
}

/** Epoch ms of an ISO-8601 instant with a zone, or `null` (see the module comment for the grammar). */
export function parseIsoInstant(s: string): number | null {
  const r = parseInstantDetailed(s);
  return r.ok ? r.ms : null;
}

/**
 * The canonical form of an instant: `YYYY-MM-DDThh:mm:ss.sssZ` (UTC, always three fraction digits).
 * `parseIsoInstant(formatInstant(t)) === t` for every integer `t` in years 0000–9999.
 */
export function formatInstant(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`formatInstant: ${ms} is not an integer ms epoch`);
  const days = Math.floor(ms / MS_PER_DAY);
  const msOfDay = ms - days * MS_PER_DAY;
  const d = new Date(days * MS_PER_DAY);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`formatInstant: ${ms} is outside years 0000–9999`);
  const h = Math.floor(msOfDay / 3_600_000);
  const mi = Math.floor((msOfDay % 3_600_000) / 60_000);
  const sec = Math.floor((msOfDay % 60_000) / 1000);
  const milli = msOfDay % 1000;
  return (
    `${String(year).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${String(milli).padStart(3, '0')}Z`
  );
}
