/**
 * Options of the body parsing step, with their named defaults and the validation a service runs once at start
 * (a bad value stops the process with a message naming the field, rather than misbehaving per record).
 */

/** Default `maxBodyBytes`: 64 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Default `maxPromotedAttributes`. */
export const DEFAULT_MAX_PROMOTED_ATTRIBUTES = 128;

export interface ParseOptions {
  /**
   * Largest body kept, in bytes of UTF-8. A longer body (after parsing: a JSON body is measured by the message
   * it yields) is cut at a character boundary and flagged `truncated`. Integer ≥ 1. Default 65536 (64 KiB).
   */
  readonly maxBodyBytes: number;
  /**
   * Most attributes one JSON body may add to a record (well-known fields promoted to record fields do not
   * count). The fields past the cap are dropped and the record is flagged `attributes_truncated`. Integer ≥ 0.
   * Default 128.
   */
  readonly maxPromotedAttributes: number;
}

export const DEFAULT_PARSE_OPTIONS: ParseOptions = Object.freeze({
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxPromotedAttributes: DEFAULT_MAX_PROMOTED_ATTRIBUTES,
});

/** The defaults overlaid with `overrides`, validated; throws an Error naming every invalid field. */
export function resolveParseOptions(overrides: Partial<ParseOptions> = {}): ParseOptions {
  const options: ParseOptions = { ...DEFAULT_PARSE_OPTIONS, ...stripUndefined(overrides) };
  const problems: string[] = [];
  if (!Number.isSafeInteger(options.maxBodyBytes) || options.maxBodyBytes < 1) {
    problems.push(`maxBodyBytes must be an integer ≥ 1, got ${String(options.maxBodyBytes)}`);
  }
  if (!Number.isSafeInteger(options.maxPromotedAttributes) || options.maxPromotedAttributes < 0) {
    problems.push(`maxPromotedAttributes must be an integer ≥ 0, got ${String(options.maxPromotedAttributes)}`);
  }
  if (problems.length > 0) throw new Error(`invalid parse options: ${problems.join('; ')}`);
  return Object.freeze(options);
}

function stripUndefined(overrides: Partial<ParseOptions>): Partial<ParseOptions> {
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}
