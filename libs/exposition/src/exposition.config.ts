/**
 * Limits of one parse, with named defaults and the validation a scraper runs once at start (a bad value
 * stops it with a message naming the field).
 */

/** Default `maxBodyBytes`: 0, no limit (Prometheus's `body_size_limit` default). */
export const DEFAULT_MAX_BODY_BYTES = 0;
/** Default `maxLineBytes`: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface ExpositionLimits {
  /**
   * Body size at which the parse fails with `body size limit exceeded`, in bytes of the uncompressed body.
   * As Prometheus's `body_size_limit`, a body of exactly this size already fails (its reader stops at the
   * limit and cannot tell a body that ends there from a longer one). Integer ≥ 0; 0 = no limit. Default 0.
   */
  readonly maxBodyBytes: number;
  /**
   * Longest line, in bytes without its line break (a Prometheus-text label value spanning lines counts as one
   * line). A longer line fails the parse, so one broken target cannot make the parser buffer without bound.
   * Prometheus itself has no such limit. Integer ≥ 0; 0 = no limit. Default 1048576 (1 MiB).
   */
  readonly maxLineBytes: number;
}

export const DEFAULT_EXPOSITION_LIMITS: ExpositionLimits = Object.freeze({
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
});

/** The defaults overlaid with `overrides`, validated; throws an Error naming every invalid field. */
export function resolveExpositionLimits(overrides: Partial<ExpositionLimits> = {}): ExpositionLimits {
  const limits: ExpositionLimits = {
    maxBodyBytes: overrides.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxLineBytes: overrides.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
  };
  const problems = (Object.keys(limits) as (keyof ExpositionLimits)[])
    .filter((field) => !Number.isSafeInteger(limits[field]) || limits[field] < 0)
    .map((field) => `${field} must be an integer ≥ 0, got ${String(limits[field])}`);
  if (problems.length > 0) throw new Error(`invalid exposition limits: ${problems.join('; ')}`);
  return Object.freeze(limits);
}
