/**
 * Where the sink stores what it consumes: a ClickHouse server over its HTTP interface. Locally that server is the
 * store process (infra/store, the embedded chDB engine behind ClickHouse's HTTP interface) on :8123, so sinks and
 * readers share one store exactly as they share a real server.
 */
import { intVar, listVar, textVar, urlVar } from '../env-var';
import { defineSection } from '../config-section';

const MiB = 1024 * 1024;

export interface ClickHouseSettings {
  url: string;
  username: string;
  password: string;
  database: string;
  requestTimeoutMs: number;
  logsTable: string;
  sinkStateTable: string;
  timestampFutureToleranceSeconds: number;
  logsTtlDays: number;
  maxBatchRows: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  metricsTtlDays: number;
  /** Rollup tables: the window length each stores, and for how long. */
  rollups: { resolutionSeconds: number; ttlDays: number }[];
}

/** `10s:7d` → 10 s windows kept 7 days; undefined when the entry is malformed. */
function parseRollup(entry: string): { resolutionSeconds: number; ttlDays: number } | undefined {
  const m = /^(\d+)(s|m|h):(\d+)d$/.exec(entry.trim());
  if (!m) return undefined;
  const unit = m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1;
  return { resolutionSeconds: Number(m[1]) * unit, ttlDays: Number(m[3]) };
}

export const clickhouseSection = defineSection({
  title: 'ClickHouse',
  vars: {
    url: urlVar('CLICKHOUSE_URL', 'ClickHouse HTTP(S) URL: a server, or locally the store process.', 'http://127.0.0.1:8123'),
    username: textVar('CLICKHOUSE_USER', 'ClickHouse user.', 'default'),
    password: textVar('CLICKHOUSE_PASSWORD', 'ClickHouse password.', '', { secret: true }),
    database: textVar('CLICKHOUSE_DATABASE', 'Database of Sextant\'s tables.', 'sextant'),
    requestTimeoutMs: intVar('CLICKHOUSE_REQUEST_TIMEOUT_MS', 'Timeout of one ClickHouse request.', 30000, 1000, 600000, 'ms'),
    logsTable: textVar('SEXTANT_CLICKHOUSE_LOGS_TABLE', 'Logs table (OpenTelemetry exporter schema).', 'otel_logs'),
    logsTtlDays: intVar('SEXTANT_CLICKHOUSE_LOGS_TTL_DAYS', 'Days logs are kept. Also the oldest event time stored as sent: older records are stored at their observed time, flagged timestamp_out_of_range, the original time kept in LogAttributes[sextant.original_timestamp].', 30, 1, 36500, 'days'),
    sinkStateTable: textVar('SEXTANT_CLICKHOUSE_SINK_STATE_TABLE', 'Table of the sink\'s exactly-once state: the offset range of each insert, claimed before it and confirmed after.', 'sextant_sink_state'),
    timestampFutureToleranceSeconds: intVar('SEXTANT_SINK_TIMESTAMP_FUTURE_TOLERANCE_SECONDS', 'How far ahead of the sink\'s clock an event time may be and still be stored as sent (later: stored at the observed time, flagged).', 3600, 1, 604800, 's'),
    maxBatchRows: intVar('SEXTANT_SINK_MAX_BATCH_ROWS', 'Rows in one insert at most.', 10000, 1, 1000000, 'rows'),
    maxBatchBytes: intVar('SEXTANT_SINK_MAX_BATCH_BYTES', 'Bytes in one insert at most.', 16 * MiB, 1024, 1024 * MiB, 'bytes'),
    metricsTtlDays: intVar('SEXTANT_CLICKHOUSE_METRICS_TTL_DAYS', 'Days metric samples, series and the otel_metrics_* rows are kept.', 30, 1, 36500, 'days'),
    rollups: listVar('SEXTANT_CLICKHOUSE_ROLLUPS', 'Rollup tables, one per window length, each with its retention: comma-separated <length>(s|m|h):<days>d; the lengths must be the aggregator\'s resolutions (SEXTANT_AGGREGATOR_RESOLUTIONS).', '10s:7d,1m:90d'),
    flushIntervalMs: intVar('SEXTANT_SINK_FLUSH_INTERVAL_MS', 'Longest the broker holds a fetch for the sink while it gathers up to SEXTANT_SINK_MAX_BATCH_BYTES: the wait before a partial batch is inserted.', 1000, 1, 60000, 'ms'),
  },
  // Identifiers, distinct table names and the cross-field rules are the ClickHouse lib's, checked at boot
  // by the stage that writes (the sink's loadSinkSettings) over the config it will be built with.
  build: (f): { value: ClickHouseSettings; problems: string[] } => {
    const problems: string[] = [];
    const rollups = f.rollups.map((entry) => {
      const r = parseRollup(entry);
      if (!r) problems.push(`SEXTANT_CLICKHOUSE_ROLLUPS entry ${JSON.stringify(entry)} is not <length>(s|m|h):<days>d, e.g. 10s:7d`);
      return r;
    });
    return { value: { ...f, rollups: rollups.filter((r) => r !== undefined) }, problems };
  },
});
