/**
 * Options of the remote-write decoder, with their named defaults and the validation a service runs once at
 * start (a bad value stops the process with a message naming the field, rather than misbehaving per request).
 */
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2, type RemoteWriteMessage } from './remote-write.model';

/** Default `maxDecompressedBytes`: 32 MiB, Prometheus's own limit for remote-write bodies. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;
/** Default `acceptedMessages`: both protocol versions, as Prometheus accepts by default. */
export const DEFAULT_ACCEPTED_MESSAGES: readonly RemoteWriteMessage[] = Object.freeze([REMOTE_WRITE_V1, REMOTE_WRITE_V2]);
/** Default `nameValidation`: UTF-8, what Prometheus's receiver applies. */
export const DEFAULT_NAME_VALIDATION: NameValidation = 'utf8';
/** Default `v1InvalidSeries`: drop, what Prometheus's receiver does. */
export const DEFAULT_V1_INVALID_SERIES: V1InvalidSeries = 'drop';
/** Default `exemplarOnlySeries`: accept, what Prometheus's own 2.0 sender needs (see the type). */
export const DEFAULT_EXEMPLAR_ONLY_SERIES: ExemplarOnlySeries = 'accept';
/** Default `maxAheadMs`: 10 minutes, Prometheus's receiver's maxAheadTime. */
export const DEFAULT_MAX_AHEAD_MS = 10 * 60 * 1000;

/**
 * `utf8`: a name is any non-empty valid UTF-8 (Prometheus 3; the remote-write receiver of Prometheus v0.316.0
 * always validates this way, whatever the server's scrape setting). `legacy`: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`,
 * label names `[a-zA-Z_][a-zA-Z0-9_]*`, for stores that cannot hold other names.
 */
export type NameValidation = 'utf8' | 'legacy';

/**
 * What a 1.0 request's invalid series cost. `drop`: the series is left out and listed in `problems`, the rest is
 * accepted and the answer is 204 (Prometheus's behaviour). `reject`: the answer is 400 naming every invalid series,
 * and the caller writes nothing (what the 1.0 specification asks for).
 */
export type V1InvalidSeries = 'drop' | 'reject';

/**
 * What a 2.0 series with exemplars but neither samples nor histograms gets. `accept`: its exemplars are kept (the
 * vendored 2.0 proto describes such series as valid, and Prometheus's own sender, `populateV2TimeSeries`, sends
 * every exemplar in a series of its own). `reject`: the series is a 400 problem, as the Prometheus v0.316.0
 * receiver (appendV2) and the published 2.0 specification text have it.
 */
export type ExemplarOnlySeries = 'accept' | 'reject';

export interface RemoteWriteDecodeConfig {
  /**
   * Largest body, in bytes, both as received (compressed) and as its snappy header says it decompresses; larger
   * is a RemoteWriteTooLargeError (HTTP 413). Checked before anything is decompressed. Integer ≥ 1, at most
   * 2^32 - 1 (snappy's own limit). Default 33554432 (32 MiB).
   */
  readonly maxDecompressedBytes: number;
  /**
   * Messages this receiver takes; any other is a RemoteWriteUnsupportedError (HTTP 415). Non-empty, no duplicates.
   * Default both.
   */
  readonly acceptedMessages: readonly RemoteWriteMessage[];
  /** How metric and label names are validated. Default `utf8`. */
  readonly nameValidation: NameValidation;
  /** What a 1.0 request's invalid series cost (2.0 always answers 400 and keeps the rest). Default `drop`. */
  readonly v1InvalidSeries: V1InvalidSeries;
  /**
   * How far past the decoder's clock a timestamp may be, in milliseconds. A later sample or histogram is "out of
   * bounds" (1.0: the request is a 400; 2.0: that point is left out and the answer is a 400); a later exemplar
   * is left out without an error. Integer ≥ 0, or Infinity for no limit. Default 600000 (10 minutes).
   */
  readonly maxAheadMs: number;
  /** 2.0 series that carry only exemplars. Default `accept`. */
  readonly exemplarOnlySeries: ExemplarOnlySeries;
}

export const DEFAULT_REMOTE_WRITE_DECODE_CONFIG: RemoteWriteDecodeConfig = Object.freeze({
  maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
  acceptedMessages: DEFAULT_ACCEPTED_MESSAGES,
  nameValidation: DEFAULT_NAME_VALIDATION,
  v1InvalidSeries: DEFAULT_V1_INVALID_SERIES,
  maxAheadMs: DEFAULT_MAX_AHEAD_MS,
  exemplarOnlySeries: DEFAULT_EXEMPLAR_ONLY_SERIES,
});

const MAX_SNAPPY_LENGTH = 0xffffffff;

/** The defaults overlaid with `overrides`, validated; throws an Error naming every invalid field. */
export function resolveRemoteWriteDecodeConfig(overrides: Partial<RemoteWriteDecodeConfig> = {}): RemoteWriteDecodeConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const config: RemoteWriteDecodeConfig = { ...DEFAULT_REMOTE_WRITE_DECODE_CONFIG, ...defined };
  const problems: string[] = [];
  const max = config.maxDecompressedBytes;
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_SNAPPY_LENGTH) {
    problems.push(`maxDecompressedBytes must be an integer from 1 to ${MAX_SNAPPY_LENGTH}, got ${String(max)}`);
  }
  const accepted = config.acceptedMessages;
  const known = [REMOTE_WRITE_V1, REMOTE_WRITE_V2];
  if (!Array.isArray(accepted) || accepted.length === 0 || accepted.some((m) => !known.includes(m)) || new Set(accepted).size !== accepted.length) {
    problems.push(`acceptedMessages must be a non-empty list without duplicates of ${known.join(', ')}, got ${JSON.stringify(accepted)}`);
  }
  if (config.nameValidation !== 'utf8' && config.nameValidation !== 'legacy') {
    problems.push(`nameValidation must be "utf8" or "legacy", got ${JSON.stringify(config.nameValidation)}`);
  }
  if (config.v1InvalidSeries !== 'drop' && config.v1InvalidSeries !== 'reject') {
    problems.push(`v1InvalidSeries must be "drop" or "reject", got ${JSON.stringify(config.v1InvalidSeries)}`);
  }
  const ahead = config.maxAheadMs;
  if (ahead !== Infinity && (!Number.isSafeInteger(ahead) || ahead < 0)) {
    problems.push(`maxAheadMs must be an integer ≥ 0 or Infinity, got ${String(ahead)}`);
  }
  if (config.exemplarOnlySeries !== 'accept' && config.exemplarOnlySeries !== 'reject') {
    problems.push(`exemplarOnlySeries must be "accept" or "reject", got ${JSON.stringify(config.exemplarOnlySeries)}`);
  }
  if (problems.length > 0) throw new Error(`invalid remote-write decode config: ${problems.join('; ')}`);
  return Object.freeze({ ...config, acceptedMessages: Object.freeze([...accepted]) });
}
