/** Where the sink stores what it consumes: a ClickHouse server, or the embedded chDB engine. */
import { boolVar, intVar, textVar, urlVar } from '../env-var';
import { defineSection } from '../config-section';

const MiB = 1024 * 1024;

export interface ClickHouseSettings {
  url: string;
  username: string;
  password: string;
  database: string;
  path: string;
  requestTimeoutMs: number;
  logsTable: string;
  logsTtlDays: number;
  maxBatchRows: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  queryPort: number;
  queryEnabled: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const clickhouseSection = defineSection({
  title: 'ClickHouse',
  vars: {
    url: urlVar('CLICKHOUSE_URL', 'ClickHouse server HTTP(S) URL. Empty: the embedded chDB engine stores under SEXTANT_CLICKHOUSE_PATH.', '', { allowEmpty: true }),
    username: textVar('CLICKHOUSE_USER', 'ClickHouse user.', 'default'),
    password: textVar('CLICKHOUSE_PASSWORD', 'ClickHouse password.', '', { secret: true }),
    database: textVar('CLICKHOUSE_DATABASE', 'Database of Sextant\'s tables.', 'sextant'),
    path: textVar('SEXTANT_CLICKHOUSE_PATH', 'Data folder of the embedded engine (one process owns it).', '.sextant/data/clickhouse'),
    requestTimeoutMs: intVar('CLICKHOUSE_REQUEST_TIMEOUT_MS', 'Timeout of one ClickHouse request.', 30000, 1000, 600000, 'ms'),
    logsTable: textVar('SEXTANT_CLICKHOUSE_LOGS_TABLE', 'Logs table (OpenTelemetry exporter schema).', 'otel_logs'),
    logsTtlDays: intVar('SEXTANT_CLICKHOUSE_LOGS_TTL_DAYS', 'Days logs are kept.', 30, 1, 36500, 'days'),
    maxBatchRows: intVar('SEXTANT_SINK_MAX_BATCH_ROWS', 'Rows in one insert at most.', 10000, 1, 1000000, 'rows'),
    maxBatchBytes: intVar('SEXTANT_SINK_MAX_BATCH_BYTES', 'Bytes in one insert at most.', 16 * MiB, 1024, 1024 * MiB, 'bytes'),
    flushIntervalMs: intVar('SEXTANT_SINK_FLUSH_INTERVAL_MS', 'Longest wait before a partial batch is inserted.', 500, 1, 60000, 'ms'),
    queryPort: intVar('SEXTANT_QUERY_PORT', 'Port of the read-only ClickHouse-compatible HTTP query endpoint the sink serves when it owns the embedded store.', 8123, 1, 65535),
    queryEnabled: boolVar('SEXTANT_QUERY_ENABLED', 'Serve the read-only query endpoint (embedded store only).', true),
  },
  build: (f): { value: ClickHouseSettings; problems: string[] } => {
    const problems: string[] = [];
    if (!IDENT.test(f.database)) problems.push(`CLICKHOUSE_DATABASE=${JSON.stringify(f.database)}: must be an identifier`);
    if (!IDENT.test(f.logsTable)) problems.push(`SEXTANT_CLICKHOUSE_LOGS_TABLE=${JSON.stringify(f.logsTable)}: must be an identifier`);
    if (f.url === '' && f.path === '') problems.push('SEXTANT_CLICKHOUSE_PATH is required when CLICKHOUSE_URL is empty');
    return { value: f, problems };
  },
});
