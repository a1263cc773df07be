/**
 * Settings of the store process: where it listens, which chDB data directory it owns, how many engine
 * sessions run queries side by side and how many requests may wait for one, body limits, and the caps every
 * read-only request runs under. Validated once at boot; a bad value stops the process (exit 2) naming it.
 */
import { defineSection } from '../config-section';
import { boolVar, enumVar, intVar, textVar } from '../env-var';
import { LOG_LEVELS, type LogLevel } from './service.section';

const MiB = 1024 * 1024;

export interface StoreSettings {
  /** Minimum level of the JSON logs on stdout. */
  logLevel: LogLevel;
  /** Address the HTTP interface binds; loopback by default, since the store checks no credentials. */
  host: string;
  /** Port of the ClickHouse HTTP interface, /healthz, /readyz and /metrics. */
  port: number;
  /** chDB data directory this process owns (one process per directory). */
  path: string;
  /** fsync every inserted part and its directory before the INSERT is answered (survives power loss, ~5x slower inserts). */
  fsync: boolean;
  /** Engine sessions running queries at the same time (one query at a time each). */
  sessions: number;
  /** Requests waiting for a session at most; more are refused with 503 and Retry-After. */
  maxQueued: number;
  /** Retry-After sent with a 503 when the queue is full (seconds). */
  retryAfterSeconds: number;
  /** Largest request body as sent, compressed or not (bytes). */
  maxBodyBytes: number;
  /** Largest request body after decompression (bytes). */
  maxDecompressedBytes: number;
  /** Largest SQL text of a read-only request (bytes). */
  readonlyMaxQueryBytes: number;
  /** Largest result of a read-only request (bytes); a longer one fails with code 396. */
  readonlyMaxResultBytes: number;
  /** Longest a read-only request may run (seconds); a longer one fails with code 159. */
  readonlyMaxExecutionSeconds: number;
  /** A request holding a session longer than this turns /healthz red (a wedged engine); seconds. */
  wedgedAfterSeconds: number;
  /** Longest orderly shutdown after SIGTERM (drain in-flight requests, close the engine) before exit 1. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_STORE_PORT = 8123;
export const DEFAULT_STORE_PATH = '.sextant/data/clickhouse';

export const storeSection = defineSection({
  title: 'Store',
  vars: {
    logLevel: enumVar('SEXTANT_LOG_LEVEL', 'Minimum level of the JSON logs on stdout.', 'info', LOG_LEVELS),
    host: textVar('SEXTANT_STORE_HOST', 'Address the store binds. It checks no credentials: keep it on loopback unless a network policy guards it.', '127.0.0.1'),
    port: intVar('SEXTANT_STORE_PORT', 'Port of the ClickHouse HTTP interface and of /healthz, /readyz, /metrics.', DEFAULT_STORE_PORT, 1, 65535),
    path: textVar('SEXTANT_STORE_PATH', 'chDB data directory the store owns (one process per directory).', DEFAULT_STORE_PATH),
    fsync: boolVar('SEXTANT_STORE_FSYNC', 'fsync each inserted part before answering: survives power loss, not only a killed process (inserts ~5x slower).', false),
    sessions: intVar('SEXTANT_STORE_SESSIONS', 'Engine sessions running queries side by side (each runs one at a time).', 2, 1, 64),
    maxQueued: intVar('SEXTANT_STORE_MAX_QUEUED', 'Requests waiting for a session at most; more get 503 with Retry-After.', 64, 0, 100000, 'requests'),
    retryAfterSeconds: intVar('SEXTANT_STORE_RETRY_AFTER_SECONDS', 'Retry-After of a 503 sent when the queue is full.', 1, 1, 3600, 's'),
    maxBodyBytes: intVar('SEXTANT_STORE_MAX_BODY_BYTES', 'Largest request body as sent; larger gets 413.', 256 * MiB, 1024, 4096 * MiB, 'bytes'),
    maxDecompressedBytes: intVar('SEXTANT_STORE_MAX_DECOMPRESSED_BYTES', 'Largest request body after decompression; larger gets 413.', 512 * MiB, 1024, 8192 * MiB, 'bytes'),
    readonlyMaxQueryBytes: intVar('SEXTANT_STORE_READONLY_MAX_QUERY_BYTES', 'Largest SQL text of a read-only request (readonly=1 or GET).', 256 * 1024, 16, 64 * MiB, 'bytes'),
    readonlyMaxResultBytes: intVar('SEXTANT_STORE_READONLY_MAX_RESULT_BYTES', 'Largest result of a read-only request.', 64 * MiB, 1024, 4096 * MiB, 'bytes'),
    readonlyMaxExecutionSeconds: intVar('SEXTANT_STORE_READONLY_MAX_EXECUTION_SECONDS', 'Longest run of a read-only request.', 60, 1, 86400, 's'),
    wedgedAfterSeconds: intVar('SEXTANT_STORE_WEDGED_AFTER_SECONDS', 'A request holding an engine session longer than this turns /healthz red, so a wedged engine gets restarted.', 900, 10, 86400, 's'),
    shutdownTimeoutMs: intVar('SEXTANT_SHUTDOWN_TIMEOUT_MS', 'Longest orderly shutdown after SIGTERM (drain requests, close the engine) before the process exits non-zero.', 30000, 1000, 600000, 'ms'),
  },
  build: (f): { value: StoreSettings; problems: string[] } => {
    const problems: string[] = [];
    if (f.path.trim() === '') problems.push('SEXTANT_STORE_PATH must name a data directory');
    if (f.host.trim() === '') problems.push('SEXTANT_STORE_HOST must name an address');
    if (f.maxDecompressedBytes < f.maxBodyBytes) problems.push('SEXTANT_STORE_MAX_DECOMPRESSED_BYTES must be >= SEXTANT_STORE_MAX_BODY_BYTES');
    if (f.wedgedAfterSeconds <= f.readonlyMaxExecutionSeconds) problems.push('SEXTANT_STORE_WEDGED_AFTER_SECONDS must be > SEXTANT_STORE_READONLY_MAX_EXECUTION_SECONDS');
    if (f.readonlyMaxQueryBytes > f.maxDecompressedBytes) problems.push('SEXTANT_STORE_READONLY_MAX_QUERY_BYTES must be <= SEXTANT_STORE_MAX_DECOMPRESSED_BYTES');
    return { value: f, problems };
  },
});
