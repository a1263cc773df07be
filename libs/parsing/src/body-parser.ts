/**
 * The contract every body parser fulfils, so that adding one (logfmt, CRI, multiline...) means writing a
 * `parse-*-body.ts` and placing it in the ordered list of parseLogRecord, nothing else.
 */
import type { LogRecord } from '@sextant/contracts';
import type { ParseOptions } from './parsing.config';

/** What a parser made of a record. */
export type BodyParseOutcome =
  /** The parser applied; `record` is the new record (the input is never modified). */
  | { readonly status: 'parsed'; readonly record: LogRecord }
  /** The body is not in this parser's format: the next parser gets it. */
  | { readonly status: 'not_applicable' }
  /** The body is in this parser's format but broken: the record is kept as is and flagged parse_error. */
  | { readonly status: 'failed'; readonly reason: string };

export interface BodyParser {
  /** Name for logs and metrics, e.g. `json`. */
  readonly name: string;
  /** Parse flag the parser sets on the records it parses; its presence means "already parsed". */
  readonly flag: string;
  /** Pure and total on data: it returns an outcome and never throws for any body. */
  parse(record: LogRecord, options: ParseOptions): BodyParseOutcome;
}

export const NOT_APPLICABLE: BodyParseOutcome = Object.freeze({ status: 'not_applicable' });

/** The text without its trailing line terminators (\n, \r\n, \r): shippers often keep the newline. */
export function trimLineEnd(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}
