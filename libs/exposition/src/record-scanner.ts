/**
 * Character-level pieces both text parsers share: the name and quoted-string rules of Prometheus's lexers,
 * the two unescaping rules, and error messages in the shape Prometheus gives them
 * (`<expected>, got "<token and one more character>" (<TOKEN>) while parsing: "<record so far>"`).
 * A record is one line, or several when a quoted string spans lines (the lexers allow a raw line break in
 * quoted names, and the Prometheus text format in label values too); the record's end reads as `\n`.
 */
import { ExpositionError } from './exposition.error';
import { goQuote } from './go-quote';

/** Token names as Prometheus prints them in parse errors. */
export type TokenName = 'INVALID' | 'EOF' | 'LINEBREAK' | 'MNAME' | 'QSTRING' | 'BOPEN' | 'BCLOSE' | 'LNAME' | 'LVALUE' | 'COMMA' | 'EQUAL' | 'TIMESTAMP' | 'VALUE' | 'TEXT';

/** scanQuoted result: the string runs past the end of the record (and a line break may continue it). */
export const NEEDS_NEXT_LINE = -1;

export function isMetricNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

export function isMetricNameChar(c: number): boolean {
  return isMetricNameStart(c) || (c >= 48 && c <= 57);
}

export function isLabelNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isLabelNameChar(c: number): boolean {
  return isLabelNameStart(c) || (c >= 48 && c <= 57);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** End of the run of characters from `i` that `accepts` (i itself when none). */
export function scanWhile(s: string, i: number, accepts: (c: number) => boolean): number {
  while (i < s.length && accepts(s.charCodeAt(i))) i++;
  return i;
}

/** Skips spaces and tabs. */
export function skipBlanks(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/**
 * Scans the quoted string opening at `s[i]` (`"(\\.|[^\\"])*"`; with `lineBreaks` false a raw line break is
 * not allowed either). Returns the index after the closing quote; NEEDS_NEXT_LINE when the record ends inside
 * the string and line breaks are allowed; else `-2 - p` where `p` is where the string breaks (a backslash
 * never escapes a line break).
 */
export function scanQuoted(s: string, i: number, lineBreaks: boolean): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      if (j + 1 >= s.length || s.charCodeAt(j + 1) === 10) return -2 - (j + 1);
      j++;
    } else if (c === 10 && !lineBreaks) {
      return -2 - j;
    }
  }
  return lineBreaks ? NEEDS_NEXT_LINE : -2 - s.length;
}

/** Label values (and OpenMetrics help text): `\\`, `\"` and `\n` are escapes; any other backslash stays. */
export function unescapeLabelValue(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\([\\"n])/g, (_m, c: string) => (c === 'n' ? '\n' : c)) : raw;
}

/** Prometheus-text help: only `\\` and `\n` are escapes. */
export function unescapeHelp(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\([\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c)) : raw;
}

/**
 * A Prometheus-shaped parse error. `tokenStart`/`tokenEnd` delimit the offending token (`tokenEnd` is where
 * the lexer stopped); the message shows the token plus one character, and the record up to there.
 */
export function unexpectedToken(record: string, expected: string, tokenStart: number, tokenEnd: number, token: TokenName): string {
  const full = `${record}\n`;
  const e = Math.min(full.length, tokenEnd + 1);
  return `${expected}, got ${goQuote(full.slice(tokenStart, e))} (${goQuote(token)}) while parsing: ${goQuote(full.slice(0, e))}`;
}

/**
 * The family name of a `# HELP`/`# TYPE`/`# UNIT` line starting at `start`: bare, or quoted (quotes removed,
 * escapes kept as written, as the reference keeps them). NEEDS_NEXT_LINE when a quoted name runs past the
 * record's end; throws when there is no name.
 */
export function scanFamilyName(s: string, start: number, keyword: string, line: number): { family: string; end: number } | typeof NEEDS_NEXT_LINE {
  if (s.charCodeAt(start) === 34) {
    const end = scanQuoted(s, start, true);
    if (end === NEEDS_NEXT_LINE) return NEEDS_NEXT_LINE;
    if (end < 0) throw new ExpositionError(unexpectedToken(s, `expected metric name after ${keyword}`, start, -2 - end, 'INVALID'), line);
    return { family: s.slice(start + 1, end - 1), end };
  }
  const end = isMetricNameStart(s.charCodeAt(start)) ? scanWhile(s, start, isMetricNameChar) : start;
  if (end === start) throw new ExpositionError(unexpectedToken(s, `expected metric name after ${keyword}`, start, start, 'INVALID'), line);
  return { family: s.slice(start, end), end };
}
