/**
 * The Prometheus text format (0.0.4, also used for `text/plain;version=1.0.0`), read record by record as
 * Prometheus 3's `PromParser` reads it: blank lines and plain comments allowed, blanks between tokens,
 * `# HELP`/`# TYPE` with bare or quoted family names, samples with bare or quoted names, integer millisecond
 * timestamps. Its quirks are kept too, since a scrape must succeed or fail exactly where Prometheus's does
 * (see the README's list). Label values and quoted names may hold raw line breaks, so a record whose quoted
 * string is still open at the end of a line continues on the next one.
 */
import { isValidUtf8Text } from './decode-utf8';
import { goQuote } from './go-quote';
import { ExpositionError } from './exposition.error';
import type { ExpositionEntry, MetricType } from './exposition.model';
import { FamilyMetadataTracker } from './family-metadata';
import { parseFloatText } from './parse-float';
import {
  isDigit,
  isMetricNameChar,
  isMetricNameStart,
  NEEDS_NEXT_LINE,
  scanFamilyName,
  scanWhile,
  skipBlanks,
  unescapeHelp,
  unexpectedToken,
} from './record-scanner';
import { buildSeries, type RecordOutcome, type RecordParser } from './record-parser';
import { scanLabelSet, type LabelSetDialect, type ScannedLabelSet } from './scan-label-set';

const DIALECT: LabelSetDialect = { blanks: true, commaRequired: false, valueLineBreaks: true, exemplar: false };
const TEXT_TYPES: Record<string, MetricType> = { counter: 'counter', gauge: 'gauge', histogram: 'histogram', summary: 'summary', untyped: 'unknown' };
const INT64_MAX = '9223372036854775807';

export class PrometheusTextParser implements RecordParser {
  private readonly metadata = new FamilyMetadataTracker();
  /** Type of the latest `# TYPE` line, whatever its family: what Prometheus normalizes `le`/`quantile` by. */
  private lastType: MetricType = 'unknown';
  private readonly scanned: ScannedLabelSet = { end: 0, metricName: undefined, names: [], values: [] };

  parseRecord(s: string, line: number, _terminated: boolean, out: ExpositionEntry[]): RecordOutcome {
    const i = skipBlanks(s, 0);
    if (i === s.length) return 'done';
    const c = s.charCodeAt(i);
    if (c === 0) return 'stop'; // A NUL where a record starts ends the body for the reference lexer.
    if (c === 35) return this.hashLine(s, i, line, out);
    if (c === 123 || isMetricNameStart(c)) return this.sample(s, i, line, out);
    throw new ExpositionError(unexpectedToken(s, 'expected a valid start token', i, i, 'INVALID'), line);
  }

  end(): void {}

  private hashLine(s: string, hash: number, line: number, out: ExpositionEntry[]): RecordOutcome {
    const word = skipBlanks(s, hash + 1);
    const keyword = word > hash + 1 ? s.slice(word, word + 4) : '';
    const afterKeyword = s.charCodeAt(word + 4);
    if ((keyword !== 'HELP' && keyword !== 'TYPE') || (afterKeyword !== 32 && afterKeyword !== 9)) {
      out.push({ kind: 'comment', line, text: s.slice(hash) });
      return 'done';
    }
    const name = scanFamilyName(s, skipBlanks(s, word + 4), keyword, line);
    if (name === NEEDS_NEXT_LINE) return 'next-line';
    const { family, end: nameEnd } = name;
    const text = metadataText(s.slice(nameEnd));
    if (keyword === 'TYPE') {
      const type = TEXT_TYPES[text];
      if (type === undefined) throw new ExpositionError(`invalid metric type ${goQuote(text)}`, line);
      this.lastType = type;
      this.metadata.setType(family, type);
      out.push({ kind: 'type', line, family, type });
    } else {
      if (!isValidUtf8Text(text)) throw new ExpositionError(`help text ${goQuote(text)} is not a valid utf8 string`, line);
      const help = unescapeHelp(text);
      this.metadata.setHelp(family, help);
      out.push({ kind: 'help', line, family, help });
    }
    return 'done';
  }

  private sample(s: string, start: number, line: number, out: ExpositionEntry[]): RecordOutcome {
    let name: string | undefined;
    let i = start;
    if (s.charCodeAt(i) !== 123) {
      i = scanWhile(s, i, isMetricNameChar);
      // The reference takes the name from the start of the record, blanks before it included.
      name = s.slice(0, i);
      i = skipBlanks(s, i);
    }
    let labels: ScannedLabelSet | undefined;
    if (s.charCodeAt(i) === 123) {
      const scanned = scanLabelSet(s, i, DIALECT, line, name !== undefined, this.scanned);
      if (scanned === NEEDS_NEXT_LINE) return 'next-line';
      labels = scanned;
      name ??= scanned.metricName;
      i = skipBlanks(s, scanned.end);
    }
    const valueEnd = scanValue(s, i);
    if (name === undefined) {
      throw new ExpositionError(`metric name not set while parsing: ${goQuote(s.slice(0, Math.max(valueEnd, i)))}`, line);
    }
    if (valueEnd === i) {
      const token = i < s.length && s.charCodeAt(i) === 123 ? 'BOPEN' : 'INVALID';
      throw new ExpositionError(unexpectedToken(s, 'expected value after metric', i, token === 'BOPEN' ? i + 1 : i, token), line);
    }
    const value = parseFloatText(s.slice(i, valueEnd));
    if (value instanceof Error) throw new ExpositionError(`${value.message} while parsing: ${goQuote(s.slice(0, valueEnd))}`, line);
    const timestampMs = this.timestamp(s, valueEnd, line);
    out.push(buildSeries(line, name, labels, value, timestampMs, undefined, this.lastType, this.metadata));
    return 'done';
  }

  /** The optional integer millisecond timestamp after the value, then the end of the record. */
  private timestamp(s: string, from: number, line: number): number | undefined {
    const i = skipBlanks(s, from);
    if (i === s.length) return undefined;
    const end = scanWhile(s, i, isDigit);
    if (end === i) throw new ExpositionError(unexpectedToken(s, 'expected timestamp or new record', i, i, 'INVALID'), line);
    const digits = s.slice(i, end);
    const significant = digits.replace(/^0+(?=\d)/, '');
    if (significant.length > INT64_MAX.length || (significant.length === INT64_MAX.length && significant > INT64_MAX)) {
      throw new ExpositionError(`strconv.ParseInt: parsing ${goQuote(digits)}: value out of range while parsing: ${goQuote(s.slice(0, end))}`, line);
    }
    const after = skipBlanks(s, end);
    if (after < s.length) {
      const nextEnd = scanWhile(s, after, isDigit);
      const token = nextEnd > after ? 'TIMESTAMP' : 'INVALID';
      throw new ExpositionError(unexpectedToken(s, 'expected next entry after timestamp', after, nextEnd, token), line);
    }
    return Number(significant);
  }
}

/** End of the value token (`[^{ \t\n]+`) starting at `i`. */
function scanValue(s: string, i: number): number {
  return scanWhile(s, i, (c) => c !== 123 && c !== 32 && c !== 9 && c !== 10);
}

/**
 * The text after a metadata line's family name, as the reference lexer cuts it: its first byte (meant to be
 * the separating blank) is dropped, whatever it is; a rest of blanks only is empty.
 */
function metadataText(rest: string): string {
  if (skipBlanks(rest, 0) === rest.length) return '';
  const first = rest.codePointAt(0)!;
  if (first < 0x80 || (first >= 0xdc80 && first <= 0xdcff)) return rest.length > 1 ? rest.slice(1) : '';
  // The reference drops one byte: the rest of a multi-byte character is left as invalid bytes.
  const [, ...tail] = Buffer.from(String.fromCodePoint(first), 'utf8');
  return tail.map((b) => String.fromCharCode(0xdc00 + b)).join('') + rest.slice(first > 0xffff ? 2 : 1);
}
