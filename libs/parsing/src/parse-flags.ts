/**
 * The parse flags this library writes into LogRecord.parseFlags: what parsing did to a record, or could not
 * do. The flags of body parsers double as "already parsed" markers (see parseLogRecord).
 */
export const ParseFlag = {
  /** The body was a JSON object and was parsed. */
  JSON: 'json',
  /** The body was treated as plain text. */
  PLAIN: 'plain',
  /** The body looked parseable but was not (kept as it came). */
  PARSE_ERROR: 'parse_error',
  /** The body was cut to maxBodyBytes. */
  TRUNCATED: 'truncated',
  /** A JSON body had more fields than maxPromotedAttributes; the rest were dropped. */
  ATTRIBUTES_TRUNCATED: 'attributes_truncated',
} as const;

/** `flags` plus each of `added` not already present, in order. */
export function withFlags(flags: readonly string[], ...added: string[]): string[] {
  const out = [...flags];
  for (const flag of added) if (!out.includes(flag)) out.push(flag);
  return out;
}
