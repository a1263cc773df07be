/**
 * Numbers as Prometheus's text parsers read and write them. Sample values, OpenMetrics timestamps and
 * exemplar values go through Go's `strconv.ParseFloat` with `p`, `P` and `_` refused, which leaves decimal
 * spellings and the words `Inf`/`Infinity` (signed, any case) and `NaN` (unsigned, any case). A value
 * outside the float64 range is an error there (not ±Inf); one too small becomes 0.
 */
import { goQuote } from './go-quote';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/** The number `text` spells, or an Error worded as Prometheus's (`strconv.ParseFloat: parsing "x": invalid syntax`). */
export function parseFloatText(text: string): number | Error {
  if (/[pP_]/.test(text)) return new Error('unsupported character in float');
  if (DECIMAL.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
    return new Error(`strconv.ParseFloat: parsing ${goQuote(text)}: value out of range`);
  }
  if (INFINITY.test(text)) return text.charCodeAt(0) === 45 ? -Infinity : Infinity;
  if (text.length === 3 && text.toLowerCase() === 'nan') return NaN;
  return new Error(`strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax`);
}

/**
 * The OpenMetrics spelling of a number (Prometheus's `FormatOpenMetricsFloat`): `+Inf`, `-Inf`, `NaN`, else
 * the shortest round-trip digits in Go's `%g` layout (exponent form when the decimal exponent is < -4 or ≥ 6,
 * e.g. `1e-05`, `1.234567e+06`), with `.0` appended when the result has neither `.` nor `e`.
 */
export function formatOpenMetricsFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  const text = formatGoShortest(n);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** Go's `strconv.FormatFloat(n, 'g', -1, 64)` for a finite `n`. */
function formatGoShortest(n: number): string {
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const [mantissa, exponentText] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const abs = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
