/**
 * The fallback parser: the body is plain text. It drops trailing line terminators and, when the record has no
 * severity yet, reads a level token at the start of the line — after an optional leading ISO/RFC 3339
 * timestamp — in the spellings common in plain logs: `ERROR ...`, `WARN: ...`, `INFO[0000] ...` (logrus),
 * `[warn] ...`, `error: ...`, `level=info ...` (also `lvl=`, `severity=`, quoted or not). Only words with a
 * known severity count, and a bare word must be upper case, so an ordinary sentence starting with "Error" or
 * "info" is not read as a level. The body is not changed otherwise (a plain timestamp is not parsed: it often
 * lacks a zone).
 */
import type { LogRecord } from '@sextant/contracts';
import { trimLineEnd, type BodyParseOutcome, type BodyParser } from './body-parser';
import { ParseFlag, withFlags } from './parse-flags';
import { severityOfWord } from './parse-severity';

const LEADING_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})?\s+/;
const LEVEL_PATTERNS: readonly RegExp[] = [
  /^(?:level|lvl|severity)=("?)([A-Za-z]+)\1(?=\s|$)/i,
  /^\[([A-Za-z]+)\]/,
  /^([A-Za-z]+):(?=\s|$)/,
  /^([A-Z]+)(?=[\s:[]|$)/,
];

export const PLAIN_BODY_PARSER: BodyParser = {
  name: 'plain',
  flag: ParseFlag.PLAIN,
  parse: parsePlainBody,
};

/** Always applies. */
export function parsePlainBody(record: LogRecord): BodyParseOutcome {
  const body = trimLineEnd(record.body);
  const severityUnset = record.severityNumber === 0 && record.severityText === '';
  const level = severityUnset ? detectLeadingLevel(body) : undefined;
  return {
    status: 'parsed',
    record: {
      ...record,
      body,
      severityText: level?.text ?? record.severityText,
      severityNumber: level?.number ?? record.severityNumber,
      parseFlags: withFlags(record.parseFlags, ParseFlag.PLAIN),
    },
  };
}

/** The level token at the start of a line, as spelled and as a severity number; undefined when there is none. */
export function detectLeadingLevel(line: string): { text: string; number: number } | undefined {
  let rest = line.trimStart();
  const timestamp = LEADING_TIMESTAMP.exec(rest);
  if (timestamp) rest = rest.slice(timestamp[0].length);
  for (const pattern of LEVEL_PATTERNS) {
    const m = pattern.exec(rest);
    // The word is the last capture group (the key=value pattern captures the quote first).
    const word = m?.[m.length - 1];
    if (word === undefined) continue;
    const number = severityOfWord(word);
    if (number !== undefined) return { text: word, number };
  }
  return undefined;
}
