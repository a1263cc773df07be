/**
 * OpenMetrics 1.0 text (`application/openmetrics-text`, versions 1.0.0 and 0.0.1), read as Prometheus 3's
 * `OpenMetricsParser` reads it: exactly one space between tokens, no blank lines, no comments other than
 * `# HELP`, `# TYPE`, `# UNIT` and the final `# EOF`, float-second timestamps, exemplars after ` # `. Like the
 * reference it checks syntax, UTF-8 and that a unit is a suffix of its family's name, not the spec's family
 * rules (suffixes, `_created` placement, ordering): samples of any name are accepted whatever the type.
 */
import { isValidUtf8Text } from './decode-utf8';
import { goQuote } from './go-quote';
import { ExpositionError } from './exposition.error';
import type { Exemplar, ExpositionEntry, Label, MetricType } from './exposition.model';
import { FamilyMetadataTracker } from './family-metadata';
import { sortLabels } from './label-order';
import { parseFloatText } from './parse-float';
import { isMetricNameChar, isMetricNameStart, NEEDS_NEXT_LINE, scanFamilyName, scanWhile, unescapeLabelValue, unexpectedToken } from './record-scanner';
import { buildSeries, type RecordOutcome, type RecordParser } from './record-parser';
import { scanLabelSet, type LabelSetDialect, type ScannedLabelSet } from './scan-label-set';

const SERIES_DIALECT: LabelSetDialect = { blanks: false, commaRequired: true, valueLineBreaks: false, exemplar: false };
const EXEMPLAR_DIALECT: LabelSetDialect = { blanks: false, commaRequired: true, valueLineBreaks: false, exemplar: true };
const OM_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);
const NO_EOF = 'data does not end with # EOF';

export class OpenMetricsTextParser implements RecordParser {
  private readonly metadata = new FamilyMetadataTracker();
  private lastType: MetricType = 'unknown';
  private sawEof = false;
  private readonly scanned: ScannedLabelSet = { end: 0, metricName: undefined, names: [], values: [] };
  private readonly exemplarScan: ScannedLabelSet = { end: 0, metricName: undefined, names: [], values: [] };

  parseRecord(s: string, line: number, terminated: boolean, out: ExpositionEntry[]): RecordOutcome {
    if (this.sawEof) throw new ExpositionError('unexpected data after # EOF', line);
    const c = s.length > 0 ? s.charCodeAt(0) : 10;
    if (c === 35) return this.hashLine(s, line, terminated, out);
    if (c === 123 || isMetricNameStart(c)) return this.sample(s, line, terminated, out);
    throw new ExpositionError(unexpectedToken(s, 'expected a valid start token', 0, 0, 'INVALID'), line);
  }

  end(): void {
    if (!this.sawEof) throw new ExpositionError(NO_EOF);
  }

  private hashLine(s: string, line: number, terminated: boolean, out: ExpositionEntry[]): RecordOutcome {
    if (s.charCodeAt(1) !== 32) throw new ExpositionError(unexpectedToken(s, 'expected a valid start token', 0, 1, 'INVALID'), line);
    if (s.startsWith('EOF', 2)) {
      if (s.length > 5) throw new ExpositionError('unexpected data after # EOF', line);
      this.sawEof = true;
      return 'done';
    }
    const keyword = s.slice(2, 6);
    if ((keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') || s.charCodeAt(6) !== 32) {
      const matched = Math.max(...['HELP ', 'TYPE ', 'UNIT ', 'EOF'].map((word) => commonPrefixLength(s, 2, word)));
      throw new ExpositionError(unexpectedToken(s, 'expected a valid start token', 0, 2 + matched, 'INVALID'), line);
    }
    const name = scanFamilyName(s, 7, keyword, line);
    if (name === NEEDS_NEXT_LINE) return 'next-line';
    const { family, end: nameEnd } = name;
    // The text is a space, anything, and a line break: a last line without one has no text.
    if (s.charCodeAt(nameEnd) !== 32 || !terminated) throw new ExpositionError(`expected text in ${keyword}`, line);
    const text = s.slice(nameEnd + 1);
    if (keyword === 'TYPE') {
      if (!OM_TYPES.has(text)) throw new ExpositionError(`invalid metric type ${goQuote(text)}`, line);
      const type = text as MetricType;
      this.lastType = type;
      this.metadata.setType(family, type);
      out.push({ kind: 'type', line, family, type });
    } else if (keyword === 'HELP') {
      if (!isValidUtf8Text(text)) throw new ExpositionError(`help text ${goQuote(text)} is not a valid utf8 string`, line);
      const help = unescapeLabelValue(text);
      this.metadata.setHelp(family, help);
      out.push({ kind: 'help', line, family, help });
    } else {
      if (text !== '' && !(family.endsWith(text) && family.length > text.length && family.charCodeAt(family.length - text.length - 1) === 95)) {
        throw new ExpositionError(`unit ${goQuote(text)} not a suffix of metric ${goQuote(family)}`, line);
      }
      this.metadata.setUnit(family, text);
      out.push({ kind: 'unit', line, family, unit: text });
    }
    return 'done';
  }

  private sample(s: string, line: number, terminated: boolean, out: ExpositionEntry[]): RecordOutcome {
    let name: string | undefined;
    let i = 0;
    if (s.charCodeAt(0) !== 123) {
      i = scanWhile(s, 0, isMetricNameChar);
      name = s.slice(0, i);
    }
    let labels: ScannedLabelSet | undefined;
    if (s.charCodeAt(i) === 123) {
      const scanned = scanLabelSet(s, i, SERIES_DIALECT, line, name !== undefined, this.scanned);
      if (scanned === NEEDS_NEXT_LINE) return 'next-line';
      labels = scanned;
      name ??= scanned.metricName;
      i = scanned.end;
    }
    if (name === undefined) {
      // As the reference, show the record up to the end of the token after the braces.
      const shown = s.charCodeAt(i) === 32 ? Math.max(i + 1, s.indexOf(' ', i + 1) < 0 ? s.length : s.indexOf(' ', i + 1)) : i;
      throw new ExpositionError(`metric name not set while parsing: ${goQuote(s.slice(0, shown))}`, line);
    }
    const cursor = new LineCursor(s, line, terminated);
    const value = cursor.float(i, 'expected value after metric');
    let timestampMs: number | undefined;
    let exemplar: Exemplar | undefined;
    let at = cursor.end;
    if (cursor.atLineEnd(at)) {
      // sample without timestamp
    } else if (s.startsWith(' # {', at)) {
      exemplar = this.exemplar(cursor, at + 3);
    } else if (s.charCodeAt(at) === 32 && at + 1 < s.length && s.charCodeAt(at + 1) !== 32) {
      timestampMs = cursor.timestamp(at, 'invalid timestamp');
      at = cursor.end;
      if (s.startsWith(' # {', at)) exemplar = this.exemplar(cursor, at + 3);
      else if (!cursor.atLineEnd(at)) cursor.fail('expected next entry after timestamp', at);
    } else {
      // The reference accepts this sample, then fails on what follows it; failing here is the same outcome.
      throw new ExpositionError(unexpectedToken(s, 'expected timestamp, exemplar or line break after value', at, at + 1, 'INVALID'), line);
    }
    out.push(buildSeries(line, name, labels, value, timestampMs, exemplar, this.lastType, this.metadata));
    return 'done';
  }

  /** The exemplar whose `{` is at `open`: labels, value, optional timestamp, end of line. */
  private exemplar(cursor: LineCursor, open: number): Exemplar {
    const s = cursor.record;
    const scanned = scanLabelSet(s, open, EXEMPLAR_DIALECT, cursor.line, false, this.exemplarScan);
    if (scanned === NEEDS_NEXT_LINE) throw new ExpositionError(unexpectedToken(s, 'expected label name', open + 1, s.length, 'INVALID'), cursor.line);
    const value = cursor.float(scanned.end, 'expected value after exemplar labels');
    const labels: Label[] = scanned.names.map((name, k) => ({ name, value: scanned.values[k]! }));
    const exemplar: { -readonly [K in keyof Exemplar]: Exemplar[K] } = { labels: sortLabels(labels), value };
    const at = cursor.end;
    if (cursor.atLineEnd(at)) return exemplar;
    if (s.charCodeAt(at) !== 32 || at + 1 >= s.length || s.charCodeAt(at + 1) === 32) cursor.fail('expected timestamp or comment', at);
    exemplar.timestampMs = cursor.timestamp(at, 'invalid exemplar timestamp');
    if (!cursor.atLineEnd(cursor.end)) cursor.fail('expected next entry after exemplar timestamp', cursor.end);
    return exemplar;
  }
}

/** Reads the space-separated tokens after a sample's labels (`{S}[^ \n]+`). */
class LineCursor {
  /** End of the token read last. */
  end = 0;

  constructor(
    readonly record: string,
    readonly line: number,
    private readonly terminated: boolean,
  ) {}

  /** True at the end of a terminated line; throws at the end of an unterminated last line. */
  atLineEnd(at: number): boolean {
    if (at < this.record.length) return false;
    if (!this.terminated) throw new ExpositionError(NO_EOF, this.line);
    return true;
  }

  /** The float in the token that starts with the space at `at`. */
  float(at: number, expected: string): number {
    const text = this.token(at, expected);
    const n = parseFloatText(text);
    if (n instanceof Error) throw new ExpositionError(`${n.message} while parsing: ${goQuote(this.record.slice(0, this.end))}`, this.line);
    return n;
  }

  /** A float-seconds timestamp token as milliseconds (truncated, as Go converts a float to an integer). */
  timestamp(at: number, invalid: string): number {
    const seconds = this.float(at, 'expected timestamp');
    if (!Number.isFinite(seconds)) throw new ExpositionError(`${invalid} ${Number.isNaN(seconds) ? 'NaN' : seconds > 0 ? '+Inf' : '-Inf'}`, this.line);
    return Math.trunc(seconds * 1000);
  }

  fail(expected: string, at: number): never {
    const s = this.record;
    if (s.charCodeAt(at) === 32 && at + 1 < s.length && s.charCodeAt(at + 1) !== 32) {
      const end = s.indexOf(' ', at + 1);
      throw new ExpositionError(unexpectedToken(s, expected, at, end < 0 ? s.length : end, 'TIMESTAMP'), this.line);
    }
    const atEnd = at >= s.length && !this.terminated;
    // The lexer stops after a leading space it could match, else at the character it could not.
    const stop = s.charCodeAt(at) === 32 ? at + 1 : at;
    throw new ExpositionError(unexpectedToken(s, expected, at, stop, atEnd ? 'EOF' : 'INVALID'), this.line);
  }

  private token(at: number, expected: string): string {
    const s = this.record;
    if (s.charCodeAt(at) !== 32 || at + 1 >= s.length || s.charCodeAt(at + 1) === 32) this.fail(expected, at);
    let end = at + 1;
    while (end < s.length && s.charCodeAt(end) !== 32) end++;
    this.end = end;
    return s.slice(at + 1, end);
  }
}

function commonPrefixLength(s: string, from: number, word: string): number {
  let n = 0;
  while (n < word.length && s.charCodeAt(from + n) === word.charCodeAt(n)) n++;
  return n;
}
