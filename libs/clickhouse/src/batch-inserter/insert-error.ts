/**
 * Decides what a failed INSERT means. `transient`: the server or the network had a moment (timeouts, overload,
 * too many parts, connection resets) and the same insert may succeed later, so it is retried with backoff.
 * `data`: ClickHouse parsed the rows and refused them; retrying cannot help, so the rows go back to the caller
 * to dead-letter. `fatal`: the schema, credentials or our own code are wrong; retrying cannot help and
 * dead-lettering would throw good data away, so the caller should stop.
 */

export type InsertErrorKind = 'transient' | 'data' | 'fatal';

/** ClickHouse error codes worth retrying: load, timeouts, network, replication and keeper hiccups. */
const TRANSIENT_CODES = new Set([
  3, 32, 159, 160, 164, 173, 202, 203, 209, 210, 236, 241, 242, 243, 252, 285, 319, 373, 394, 425, 439, 999, 1000,
]);

/**
 * TOO_MANY_PARTS (252) says two things: merges lag behind inserts (wait and retry), or one insert's rows span
 * more day partitions than `max_partitions_per_insert_block` allows, which the same rows will always do.
 */
const TOO_MANY_PARTS = 252;
const TOO_MANY_PARTITIONS_MESSAGE = /too many partitions for single insert block/i;

/** ClickHouse error codes that blame the rows: parse failures, type mismatches, out-of-range values. */
const DATA_CODES = new Set([6, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 321, 349]);

/** The ClickHouse error code carried by `err` (`ClickHouseError.code` is a numeric string), if any. */
export function clickHouseErrorCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : undefined;
}

/** Classifies a failed insert; see the module comment. */
export function classifyInsertError(err: unknown): InsertErrorKind {
  const code = clickHouseErrorCode(err);
  if (code !== undefined) {
    if (code === TOO_MANY_PARTS && err instanceof Error && TOO_MANY_PARTITIONS_MESSAGE.test(err.message)) return 'data';
    if (TRANSIENT_CODES.has(code)) return 'transient';
    if (DATA_CODES.has(code)) return 'data';
    return 'fatal';
  }
  // Thrown before anything reached ClickHouse (e.g. a BigInt JSON.stringify cannot encode): our bug.
  if (err instanceof TypeError || err instanceof RangeError) return 'fatal';
  // Everything else never got a ClickHouse verdict: sockets, timeouts, 5xx from a proxy.
  return 'transient';
}

/** An insert that failed for good, with where its rows came from. */
export class ClickHouseInsertError extends Error {
  constructor(
    readonly kind: InsertErrorKind,
    readonly table: string,
    readonly token: string,
    readonly attempts: number,
    readonly code: number | undefined,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`insert into ${table} (${token}) failed (${kind}) after ${attempts} attempt(s): ${reason}`, { cause });
    this.name = 'ClickHouseInsertError';
  }
}

/** Delay before retry number `retry` (1-based): base·2^(retry−1), capped, with the upper half jittered. */
export function insertRetryDelayMs(config: { insertRetryBaseMs: number; insertRetryMaxMs: number }, retry: number): number {
  const ceiling = Math.min(config.insertRetryMaxMs, config.insertRetryBaseMs * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
