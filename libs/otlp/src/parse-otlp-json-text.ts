/**
 * JSON.parse for OTLP/JSON that keeps 64-bit integers exact. JSON.parse turns every number into a double, so a
 * nanosecond timestamp sent as a bare number (1700000000123456789) would lose its last digits. Every numeric
 * field of OTLP/JSON also accepts its value as a string (the proto3 JSON mapping), so before parsing we wrap
 * each long number literal in quotes; the field readers then convert that string exactly. Short literals are
 * exact as doubles and are left alone, and text without a long number literal where a value may start (after
 * `:`, `[` or `,`) skips the rewrite entirely: OTLP/JSON exporters send 64-bit values as strings, so the
 * character-by-character rewrite runs only for the senders that need it.
 */
import { OtlpDecodeError } from './otlp-decode.error';

/** Number literals at least this long may not survive a double; shorter ones (at most 15 digits) always do. */
const LONG_NUMBER_LITERAL = 16;
/** A long number literal where a JSON value may start; may also match inside a string (then the rewrite runs for nothing). */
const MAY_HOLD_LONG_NUMBER = /[:[,]\s*-?[0-9][0-9.eE+-]{15}/;

/** Parses OTLP/JSON text, long number literals arriving as strings. Invalid JSON throws OtlpDecodeError. */
export function parseOtlpJsonText(text: string): unknown {
  const source = MAY_HOLD_LONG_NUMBER.test(text) ? quoteLongNumberLiterals(text) : text;
  try {
    return JSON.parse(source);
  } catch (err) {
    // Report the error against the text as sent (the rewrite shifts positions).
    try {
      JSON.parse(text);
    } catch (original) {
      throw new OtlpDecodeError(`invalid JSON: ${messageOf(original)}`);
    }
    throw new OtlpDecodeError(`invalid JSON: ${messageOf(err)}`);
  }
}

/** Wraps number literals of LONG_NUMBER_LITERAL characters or more (outside strings) in double quotes. */
export function quoteLongNumberLiterals(text: string): string {
  const out: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      if (i - start >= LONG_NUMBER_LITERAL) {
        out.push(text.slice(copiedUpTo, start), '"', text.slice(start, i), '"');
        copiedUpTo = i;
      }
    } else {
      i++;
    }
  }
  if (copiedUpTo === 0) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}

/** Index just past the string literal that opens at `start` (or the end of text when it never closes). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

function isNumberChar(c: number): boolean {
  // digits . e E + -
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
