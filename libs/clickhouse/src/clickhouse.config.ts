/**
 * Configuration of Sextant's ClickHouse access: where the store is (a server URL, or an embedded chDB data
 * directory when the URL is empty), credentials and TLS, the names of our tables, retention, and how inserts
 * are batched and retried. It is plain data: apps load it (env, file) and call `validateClickHouseConfig()` once
 * at boot, so a bad value stops the process with one message naming every problem.
 */
import { defaultMetricsStorageConfig, metricsStorageConfigProblems, type MetricsStorageConfig, type MetricTablesConfig } from './metrics-storage.config';
import { isSqlIdentifier } from './sql-identifier';

/** TLS material for a server connection, as file paths read once when the client is created. */
export interface ClickHouseTlsConfig {
  /** PEM file of the CA that signed the server certificate. Required whenever `tls` is set. */
  caPath: string;
  /** PEM client certificate for mutual TLS. Set together with `keyPath`, or leave empty. Default: ''. */
  certPath: string;
  /** PEM private key of `certPath`. Set together with `certPath`, or leave empty. Default: ''. */
  keyPath: string;
}

/** Names of the tables Sextant owns, all inside `database`. Plain identifiers, never user input. */
export interface ClickHouseTablesConfig {
  /** Log rows, OpenTelemetry exporter schema plus Sextant columns. Default: `otel_logs`. */
  logs: string;
  /** Applied schema migrations (version, name, checksum, applied_at). Default: `schema_migrations`. */
  migrations: string;
  /**
   * The exactly-once writers' progress: one claimed offset range per (table, topic, partition), read by key.
   * Default: `sextant_sink_state`.
   */
  sinkState: string;
}

export interface ClickHouseConfig {
  /**
   * ClickHouse HTTP(S) endpoint, e.g. `http://clickhouse:8123`. Empty: use the embedded chDB engine on
   * `path` instead (one process only may own that store). Default: '' (embedded).
   */
  url: string;
  /** Data directory of the embedded chDB store; used only when `url` is empty. Default: `.sextant/clickhouse`. */
  path: string;
  /** Database holding every Sextant table; created by the first migration. Default: `sextant`. */
  database: string;
  /** Server user name; ignored by the embedded engine. Default: `default`. */
  username: string;
  /** Server password; ignored by the embedded engine. Default: '' (none). */
  password: string;
  /** Per-request timeout in milliseconds, for queries and inserts. Default: 30000. */
  requestTimeoutMs: number;
  /** TLS for an `https://` URL with a private CA or mutual TLS; null uses the system CAs. Default: null. */
  tls: ClickHouseTlsConfig | null;
  /** Table names. */
  tables: ClickHouseTablesConfig;
  /** Retention of log rows in days (whole day partitions are dropped). Applied on every `migrate()`. Default: 30. */
  logsTtlDays: number;
  /** Most rows in one INSERT; larger batches are split (deterministically). Default: 10000. */
  maxBatchRows: number;
  /** Most bytes (JSON-encoded rows) in one INSERT; larger batches are split. Default: 16777216 (16 MiB). */
  maxBatchBytes: number;
  /** Longest a sink holds a partial batch before inserting it, in milliseconds. Default: 1000. */
  flushIntervalMs: number;
  /** Tries per INSERT for transient errors (network, timeouts, overload), first try included. Default: 5. */
  insertMaxAttempts: number;
  /** Backoff before the first retry in milliseconds; doubles per retry (with jitter). Default: 200. */
  insertRetryBaseMs: number;
  /** Cap on one backoff in milliseconds. Default: 5000. */
  insertRetryMaxMs: number;
  /**
   * How far past the writer's clock a log timestamp may lie, in seconds. Later (or older than `logsTtlDays`)
   * timestamps are replaced and flagged, so one insert never spans more day partitions than the TTL allows.
   * Default: 3600.
   */
  timestampFutureToleranceSeconds: number;
  /** Metric tables, their retention and the rollup resolutions (see metrics-storage.config.ts). */
  metrics: MetricsStorageConfig;
}

export const DEFAULT_CLICKHOUSE_URL = '';
export const DEFAULT_CLICKHOUSE_PATH = '.sextant/clickhouse';
export const DEFAULT_CLICKHOUSE_DATABASE = 'sextant';
export const DEFAULT_CLICKHOUSE_USERNAME = 'default';
export const DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_LOGS_TABLE = 'otel_logs';
export const DEFAULT_MIGRATIONS_TABLE = 'schema_migrations';
export const DEFAULT_SINK_STATE_TABLE = 'sextant_sink_state';
export const DEFAULT_TIMESTAMP_FUTURE_TOLERANCE_SECONDS = 3_600;
export const DEFAULT_LOGS_TTL_DAYS = 30;
export const DEFAULT_MAX_BATCH_ROWS = 10_000;
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_INSERT_MAX_ATTEMPTS = 5;
export const DEFAULT_INSERT_RETRY_BASE_MS = 200;
export const DEFAULT_INSERT_RETRY_MAX_MS = 5_000;

/** Longest retention we accept: beyond ~100 years a value is a unit mistake. */
const MAX_TTL_DAYS = 36_500;

/** The full default configuration: embedded chDB under `.sextant/clickhouse`. */
export function defaultClickHouseConfig(): ClickHouseConfig {
  return {
    url: DEFAULT_CLICKHOUSE_URL,
    path: DEFAULT_CLICKHOUSE_PATH,
    database: DEFAULT_CLICKHOUSE_DATABASE,
    username: DEFAULT_CLICKHOUSE_USERNAME,
    password: '',
    requestTimeoutMs: DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS,
    tls: null,
    tables: { logs: DEFAULT_LOGS_TABLE, migrations: DEFAULT_MIGRATIONS_TABLE, sinkState: DEFAULT_SINK_STATE_TABLE },
    logsTtlDays: DEFAULT_LOGS_TTL_DAYS,
    maxBatchRows: DEFAULT_MAX_BATCH_ROWS,
    maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
    flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
    insertMaxAttempts: DEFAULT_INSERT_MAX_ATTEMPTS,
    insertRetryBaseMs: DEFAULT_INSERT_RETRY_BASE_MS,
    insertRetryMaxMs: DEFAULT_INSERT_RETRY_MAX_MS,
    timestampFutureToleranceSeconds: DEFAULT_TIMESTAMP_FUTURE_TOLERANCE_SECONDS,
    metrics: defaultMetricsStorageConfig(),
  };
}

/** Overrides on top of the defaults; `tables`, `metrics` and `metrics.tables` may be partial too. */
export type ClickHouseConfigInput = Partial<Omit<ClickHouseConfig, 'tables' | 'metrics'>> & {
  tables?: Partial<ClickHouseTablesConfig>;
  metrics?: Partial<Omit<MetricsStorageConfig, 'tables'>> & { tables?: Partial<MetricTablesConfig> };
};

/** Defaults merged with `overrides`, then validated. */
export function resolveClickHouseConfig(overrides: ClickHouseConfigInput = {}): ClickHouseConfig {
  const defaults = defaultClickHouseConfig();
  const metrics: MetricsStorageConfig = { ...defaults.metrics, ...overrides.metrics, tables: { ...defaults.metrics.tables, ...overrides.metrics?.tables } };
  const config: ClickHouseConfig = { ...defaults, ...overrides, tables: { ...defaults.tables, ...overrides.tables }, metrics };
  validateClickHouseConfig(config);
  return config;
}

/** True when the config selects the in-process chDB engine (no server URL). */
export function isEmbeddedClickHouse(config: Pick<ClickHouseConfig, 'url'>): boolean {
  return config.url.trim() === '';
}

/** Raised by `validateClickHouseConfig`; `problems` lists every rule that failed. */
export class ClickHouseConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid ClickHouse config: ${problems.join('; ')}`);
    this.name = 'ClickHouseConfigError';
  }
}

function positiveInteger(problems: string[], name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${name} must be an integer between 1 and ${max}, got ${String(value)}`);
  }
}

function identifier(problems: string[], name: string, value: string): void {
  if (!isSqlIdentifier(value)) {
    problems.push(`${name} must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(value)}`);
  }
}

function validateLocation(problems: string[], config: ClickHouseConfig): void {
  if (isEmbeddedClickHouse(config)) {
    if (config.path.trim() === '') problems.push('path must name a data directory when url is empty (embedded chDB)');
    if (config.tls !== null) problems.push('tls applies to a server url only; it is set while url is empty (embedded chDB)');
    return;
  }
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    problems.push(`url is not a valid URL: ${JSON.stringify(config.url)}`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`url must be http:// or https:// (the ClickHouse HTTP interface), got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('url must not carry credentials; use username and password');
  }
  if (config.tls !== null) {
    if (url.protocol !== 'https:') problems.push('tls is set but url is not https://');
    if (config.tls.caPath.trim() === '') problems.push('tls.caPath is required when tls is set');
    if ((config.tls.certPath === '') !== (config.tls.keyPath === '')) {
      problems.push('tls.certPath and tls.keyPath must be set together (mutual TLS) or both left empty');
    }
  }
}

/**
 * Every invalid field and every broken cross-field rule (embedded store without a path, TLS on plain HTTP,
 * half a client certificate, retry cap below the base, ...), in the config's field names; empty when valid.
 */
export function clickHouseConfigProblems(config: ClickHouseConfig): string[] {
  const problems: string[] = [];
  validateLocation(problems, config);
  identifier(problems, 'database', config.database);
  identifier(problems, 'tables.logs', config.tables.logs);
  identifier(problems, 'tables.migrations', config.tables.migrations);
  identifier(problems, 'tables.sinkState', config.tables.sinkState);
  const names = [config.tables.logs, config.tables.migrations, config.tables.sinkState];
  if (new Set(names).size !== names.length) problems.push('tables.logs, tables.migrations and tables.sinkState must differ');
  positiveInteger(problems, 'requestTimeoutMs', config.requestTimeoutMs);
  positiveInteger(problems, 'logsTtlDays', config.logsTtlDays, MAX_TTL_DAYS);
  positiveInteger(problems, 'maxBatchRows', config.maxBatchRows);
  positiveInteger(problems, 'maxBatchBytes', config.maxBatchBytes);
  positiveInteger(problems, 'flushIntervalMs', config.flushIntervalMs);
  positiveInteger(problems, 'insertMaxAttempts', config.insertMaxAttempts, 100);
  positiveInteger(problems, 'insertRetryBaseMs', config.insertRetryBaseMs);
  positiveInteger(problems, 'insertRetryMaxMs', config.insertRetryMaxMs);
  positiveInteger(problems, 'timestampFutureToleranceSeconds', config.timestampFutureToleranceSeconds, 7 * 86_400);
  problems.push(...metricsStorageConfigProblems(config.metrics, names));
  if (config.insertRetryMaxMs < config.insertRetryBaseMs) {
    problems.push(`insertRetryMaxMs (${config.insertRetryMaxMs}) must be >= insertRetryBaseMs (${config.insertRetryBaseMs})`);
  }
  if (config.flushIntervalMs >= config.requestTimeoutMs) {
    // A flush interval this long means rows wait longer to be written than an insert may take: a unit mix-up.
    problems.push(`flushIntervalMs (${config.flushIntervalMs}) must be shorter than requestTimeoutMs (${config.requestTimeoutMs})`);
  }
  return problems;
}

/** Throws a `ClickHouseConfigError` listing clickHouseConfigProblems(). */
export function validateClickHouseConfig(config: ClickHouseConfig): void {
  const problems = clickHouseConfigProblems(config);
  if (problems.length > 0) throw new ClickHouseConfigError(problems);
}
