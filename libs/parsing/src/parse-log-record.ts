/**
 * The parser stage's per-record step: run the body parsers in order (the first that applies wins), then cap
 * the body size. Pure and total: it never throws on data — a body in a known format that fails to parse is
 * kept as it came and flagged `parse_error`. Idempotent: a record that already carries a parser's flag (or
 * parse_error) is returned unchanged, because after a consumer-group rebalance the stage may see a record twice.
 */
import type { LogRecord } from '@sextant/contracts';
import type { BodyParser } from './body-parser';
import { ParseFlag, withFlags } from './parse-flags';
import { JSON_BODY_PARSER } from './parse-json-body';
import { PLAIN_BODY_PARSER } from './parse-plain-body';
import { DEFAULT_PARSE_OPTIONS, type ParseOptions } from './parsing.config';
import { truncateUtf8 } from './truncate-utf8';

/** The body parsers, most specific first; plain text is the fallback and always applies, so it stays last. */
export const BODY_PARSERS: readonly BodyParser[] = Object.freeze([JSON_BODY_PARSER, PLAIN_BODY_PARSER]);

/** Flags that mark a record as already parsed. */
const PARSED_MARKERS: ReadonlySet<string> = new Set([...BODY_PARSERS.map((p) => p.flag), ParseFlag.PARSE_ERROR]);

/** Parses the record's body and caps its size; returns a new record (or the same one when already parsed). */
export function parseLogRecord(record: LogRecord, options: ParseOptions = DEFAULT_PARSE_OPTIONS): LogRecord {
  if (record.parseFlags.some((flag) => PARSED_MARKERS.has(flag))) return record;
  return capBody(runBodyParsers(record, options), options.maxBodyBytes);
}

function runBodyParsers(record: LogRecord, options: ParseOptions): LogRecord {
  for (const parser of BODY_PARSERS) {
    let outcome;
    try {
      outcome = parser.parse(record, options);
    } catch {
      // A parser bug (or a body deep enough to exhaust the stack) must not stop the stage: keep the record.
      return flagParseError(record);
    }
    if (outcome.status === 'parsed') return outcome.record;
    if (outcome.status === 'failed') return flagParseError(record);
  }
  return record;
}

function flagParseError(record: LogRecord): LogRecord {
  return { ...record, parseFlags: withFlags(record.parseFlags, ParseFlag.PARSE_ERROR) };
}

function capBody(record: LogRecord, maxBodyBytes: number): LogRecord {
  const body = truncateUtf8(record.body, maxBodyBytes);
  if (body === record.body) return record;
  return { ...record, body, parseFlags: withFlags(record.parseFlags, ParseFlag.TRUNCATED) };
}
