/**
 * Reads the event time a log line carries into exact nanoseconds since the Unix epoch (bigint). Two forms:
 * RFC 3339 text with an explicit offset (`2024-05-01T12:00:00.123456789Z`, up to nanosecond fractions), and
 * epoch numbers whose unit is told by magnitude (seconds, milliseconds, microseconds or nanoseconds, with
 * fractions). All arithmetic is on decimal digits, never through a double, so nothing is rounded; digits below
 * a nanosecond are cut off. Anything else, or a time at or before the epoch, is "not a time" (undefined).
 */
import { JsonBigNumber, type JsonValue } from './parse-json-text';

const NANOS_PER_SECOND = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;

/** Epoch numbers below this are seconds (up to the year 5138); then milliseconds, microseconds, nanoseconds. */
const SECONDS_BELOW = 100_000_000_000n; // 1e11
const MILLIS_BELOW = 100_000_000_000_000n; // 1e14
const MICROS_BELOW = 100_000_000_000_000_000n; // 1e17

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const EPOCH_NUMBER = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Exponents beyond this cannot give a plausible time and would only make big powers of ten. */
const MAX_EXPONENT = 30;

/** Nanoseconds since the epoch of a JSON time value (RFC 3339 string, epoch number, or numeric string). */
export function parseTimestamp(value: JsonValue | undefined): bigint | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return RFC3339.test(text) ? parseRfc3339(text) : parseEpochNumber(text);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? parseEpochNumber(String(value)) : undefined;
  if (value instanceof JsonBigNumber) return parseEpochNumber(value.literal);
  return undefined;
}

/** Nanoseconds of an RFC 3339 date-time (offset required; `,` also accepted as decimal mark). */
export function parseRfc3339(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // 60 is a leap second: RFC 3339 allows it; it lands on the next minute's first second.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    const sign = m[9] === '-' ? -1 : 1;
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  const fraction = BigInt((m[7] ?? '').slice(0, 9).padEnd(9, '0'));
  return inRange(BigInt(seconds) * NANOS_PER_SECOND + fraction);
}

/** Nanoseconds of a non-negative decimal epoch number, its unit chosen by magnitude. */
export function parseEpochNumber(text: string): bigint | undefined {
  const m = EPOCH_NUMBER.exec(text);
  if (!m) return undefined;
  const integerDigits = m[1] ?? '';
  const fractionDigits = m[2] ?? '';
  const exponent = Number(m[3] ?? '0');
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  // value = digits × 10^-scale
  const digits = BigInt(integerDigits + fractionDigits);
  const scale = fractionDigits.length - exponent;
  const whole = scale >= 0 ? digits / 10n ** BigInt(scale) : digits * 10n ** BigInt(-scale);
  const nanosPerUnit =
    whole < SECONDS_BELOW ? NANOS_PER_SECOND : whole < MILLIS_BELOW ? 1_000_000n : whole < MICROS_BELOW ? 1000n : 1n;
  const product = digits * nanosPerUnit;
  return inRange(scale >= 0 ? product / 10n ** BigInt(scale) : product * 10n ** BigInt(-scale));
}

function inRange(nanos: bigint): bigint | undefined {
  return nanos > 0n && nanos <= INT64_MAX ? nanos : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
