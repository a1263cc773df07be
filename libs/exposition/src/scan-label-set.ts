/**
 * The `{…}` part of a sample (and of an OpenMetrics exemplar), as both reference parsers read it: label names
 * bare or quoted, a quoted string alone naming the metric (`{"my.metric", "a.b"="v"}`), values quoted. The
 * dialects differ only where the lexers do: the Prometheus text format allows blanks between tokens, a
 * missing comma, and raw line breaks in values; OpenMetrics allows none of these, and in an exemplar a bare
 * quoted string is not a metric name.
 */
import { isValidUtf8Text } from './decode-utf8';
import { goQuote } from './go-quote';
import { ExpositionError } from './exposition.error';
import { isLabelNameChar, isLabelNameStart, NEEDS_NEXT_LINE, scanQuoted, scanWhile, skipBlanks, unexpectedToken, type TokenName } from './record-scanner';

export interface LabelSetDialect {
  /** Blanks between tokens (Prometheus text). */
  readonly blanks: boolean;
  /** A comma or `}` must follow each value (OpenMetrics). */
  readonly commaRequired: boolean;
  /** Raw line breaks in values (Prometheus text). */
  readonly valueLineBreaks: boolean;
  /** Exemplar label set: a bare quoted string is an error. */
  readonly exemplar: boolean;
}

/** What a scan found; names and values are between their quotes, not unescaped. */
export interface ScannedLabelSet {
  /** Index after the closing `}`. */
  end: number;
  /** A quoted metric name inside the braces, if any. */
  metricName: string | undefined;
  names: string[];
  values: string[];
}

/**
 * Scans the label set whose `{` is at `s[open]`. Returns NEEDS_NEXT_LINE when a quoted string runs past the
 * record's end and a line break may continue it; throws ExpositionError (on `line`) when it is malformed.
 */
export function scanLabelSet(s: string, open: number, dialect: LabelSetDialect, line: number, metricNameSet: boolean, into: ScannedLabelSet): ScannedLabelSet | typeof NEEDS_NEXT_LINE {
  into.metricName = undefined;
  into.names.length = 0;
  into.values.length = 0;
  const tok = new TokenCursor(s, dialect, line);
  let haveName = metricNameSet;
  if (!tok.next(open + 1)) return NEEDS_NEXT_LINE;
  for (;;) {
    if (tok.kind() === 'BCLOSE') {
      into.end = tok.end;
      return into;
    }
    if (tok.kind() !== 'LNAME' && tok.kind() !== 'QSTRING') tok.fail('expected label name');
    const nameStart = tok.start;
    const nameEnd = tok.end;
    const quoted = tok.kind() === 'QSTRING';
    if (!tok.next(nameEnd)) return NEEDS_NEXT_LINE;
    if (quoted && (tok.kind() === 'COMMA' || tok.kind() === 'BCLOSE')) {
      if (dialect.exemplar) tok.fail('expected label name');
      if (haveName) throw new ExpositionError(`metric name already set while parsing: ${goQuote(s.slice(0, tok.end))}`, line);
      haveName = true;
      into.metricName = s.slice(nameStart + 1, nameEnd - 1);
      if (tok.kind() === 'BCLOSE') {
        into.end = tok.end;
        return into;
      }
      if (!tok.next(tok.end)) return NEEDS_NEXT_LINE;
      continue;
    }
    into.names.push(quoted ? s.slice(nameStart + 1, nameEnd - 1) : s.slice(nameStart, nameEnd));
    if (tok.kind() !== 'EQUAL') tok.fail('expected equal');
    const valueStatus = tok.nextValue(tok.end);
    if (valueStatus === NEEDS_NEXT_LINE) return NEEDS_NEXT_LINE;
    if (tok.kind() !== 'LVALUE') tok.fail('expected label value');
    const valueToken = s.slice(tok.start, tok.end);
    if (!isValidUtf8Text(valueToken)) throw new ExpositionError(`invalid UTF-8 label value: ${goQuote(valueToken)}`, line);
    into.values.push(valueToken.slice(1, -1));
    if (!tok.next(tok.end)) return NEEDS_NEXT_LINE;
    if (tok.kind() === 'COMMA') {
      if (!tok.next(tok.end)) return NEEDS_NEXT_LINE;
    } else if (dialect.commaRequired && tok.kind() !== 'BCLOSE') {
      tok.fail('expected comma or brace close');
    }
  }
}

/** The lexer inside braces: one token at a time, its kind and extent (`end` is where an INVALID one broke). */
class TokenCursor {
  private current: TokenName = 'INVALID';
  start = 0;
  end = 0;

  constructor(
    private readonly s: string,
    private readonly dialect: LabelSetDialect,
    private readonly line: number,
  ) {}

  /** The kind of the token read last. */
  kind(): TokenName {
    return this.current;
  }

  /** Lexes the token at `i` inside the braces; false when the record must be continued by the next line. */
  next(i: number): boolean {
    const s = this.s;
    if (this.dialect.blanks) i = skipBlanks(s, i);
    this.start = i;
    const c = i < s.length ? s.charCodeAt(i) : 10;
    if (c === 125) return this.set('BCLOSE', i + 1);
    if (c === 44) return this.set('COMMA', i + 1);
    if (c === 61) return this.set('EQUAL', i + 1);
    if (isLabelNameStart(c)) return this.set('LNAME', scanWhile(s, i, isLabelNameChar));
    if (c === 34) return this.quoted(i, !this.dialect.exemplar);
    return this.set('INVALID', i);
  }

  /** Lexes the value after `=`. */
  nextValue(i: number): boolean | typeof NEEDS_NEXT_LINE {
    const s = this.s;
    if (this.dialect.blanks) i = skipBlanks(s, i);
    this.start = i;
    if (i < s.length && s.charCodeAt(i) === 34) {
      const ok = this.quoted(i, this.dialect.valueLineBreaks);
      if (!ok) return NEEDS_NEXT_LINE;
      if (this.current === 'QSTRING') this.current = 'LVALUE';
      return true;
    }
    return this.set('INVALID', i);
  }

  fail(expected: string): never {
    throw new ExpositionError(unexpectedToken(this.s, expected, this.start, this.end, this.current), this.line);
  }

  private quoted(i: number, lineBreaks: boolean): boolean {
    const end = scanQuoted(this.s, i, lineBreaks);
    if (end === NEEDS_NEXT_LINE) return false;
    if (end < 0) return this.set('INVALID', -2 - end);
    return this.set('QSTRING', end);
  }

  private set(kind: TokenName, end: number): true {
    this.current = kind;
    this.end = end;
    return true;
  }
}
