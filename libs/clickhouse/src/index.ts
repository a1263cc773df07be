/**
 * @sextant/clickhouse — Sextant's access to ClickHouse (a server, or embedded chDB): config, client factory,
 * versioned migrations, row mappings for our tables, and the effectively-once batch inserter.
 */
export {
  type ClickHouseConfig,
  type ClickHouseConfigInput,
  type ClickHouseTablesConfig,
  type ClickHouseTlsConfig,
  ClickHouseConfigError,
  clickHouseConfigProblems,
  DEFAULT_CLICKHOUSE_DATABASE,
  DEFAULT_CLICKHOUSE_PATH,
  DEFAULT_CLICKHOUSE_REQUEST_TIMEOUT_MS,
  DEFAULT_CLICKHOUSE_URL,
  DEFAULT_CLICKHOUSE_USERNAME,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_INSERT_MAX_ATTEMPTS,
  DEFAULT_INSERT_RETRY_BASE_MS,
  DEFAULT_INSERT_RETRY_MAX_MS,
  DEFAULT_LOGS_TABLE,
  DEFAULT_LOGS_TTL_DAYS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BATCH_ROWS,
  DEFAULT_MIGRATIONS_TABLE,
  DEFAULT_SINK_STATE_TABLE,
  DEFAULT_TIMESTAMP_FUTURE_TOLERANCE_SECONDS,
  defaultClickHouseConfig,
  isEmbeddedClickHouse,
  resolveClickHouseConfig,
  validateClickHouseConfig,
} from './clickhouse.config';
export { CLICKHOUSE_APPLICATION_NAME, type ClickHouseHealth, createClickHouseClient, pingClickHouse } from './clickhouse-client.factory';
export { assertSqlIdentifier, isSqlIdentifier, qualifiedTable, quoteIdentifier } from './sql-identifier';
export { type KafkaCoordinates } from './kafka-coordinates';
export { type Migration, type MigrationContext, migrationChecksum, migrationContext } from './migrations/migration';
export { MIGRATIONS } from './migrations/migration-sequence';
export { LOGS_DEDUPLICATION_WINDOW } from './migrations/0001-create-otel-logs.migration';
export {
  type AppliedMigration,
  type MigrateOptions,
  type MigrateResult,
  MigrationChecksumError,
  migrate,
  readAppliedMigrations,
} from './migrations/migrate';
export { readLogsTtlDays } from './migrations/reconcile-logs-ttl';
export { formatDateTime64Nanos, MAX_SEVERITY_NUMBER, type OtelLogRow, toOtelLogRow } from './tables/otel-logs.table';
export {
  BatchInserter,
  type BatchInserterOptions,
  type BatchInsertResult,
  type ChunkInsertResult,
  type InsertOptions,
} from './batch-inserter/batch-inserter';
export { type InsertChunk, type TaggedRow, deriveInsertToken, planInsertChunks } from './batch-inserter/insert-plan';
export { ClickHouseInsertError, classifyInsertError, type InsertErrorKind } from './batch-inserter/insert-error';
export {
  INSERT_BATCHES_METRIC,
  INSERT_DURATION_METRIC,
  INSERT_RETRIES_METRIC,
  type InsertOutcome,
  ROWS_DEDUPLICATED_METRIC,
  ROWS_INSERTED_METRIC,
} from './batch-inserter/batch-inserter.metrics';
export {
  LOG_INSERT_COLUMNS,
  type LogRowSource,
  logInsertLine,
  logInsertRows,
  logInsertValues,
  maxPartitionsPerInsert,
  ORIGINAL_TIMESTAMP_ATTRIBUTE,
  storedTimestamp,
  TIMESTAMP_OUT_OF_RANGE_FLAG,
  type TimestampWindow,
  timestampWindow,
} from './tables/log-insert-body';
export { ExactlyOnceLogWriter, type ExactlyOnceLogWriterOptions, type PrepareOptions, type WriteOptions } from './exactly-once/exactly-once-log-writer';
export {
  DEFAULT_MAX_LEASES,
  ExactlyOnceWriter,
  type ExactlyOnceWriterOptions,
  type RangeInsert,
  type RangeRows,
  type RangeRowsBuilder,
  type RangeRowsRequest,
} from './exactly-once/exactly-once-writer';
export { ExactlyOnceMetricRollupWriter, ExactlyOnceMetricSampleWriter } from './exactly-once/exactly-once-metric-writer';
export { type EncodedRows, type TableInsertTarget } from './exactly-once/range-inserter';
export {
  DEFAULT_METRIC_OTEL_SOURCES,
  DEFAULT_METRIC_ROLLUPS,
  DEFAULT_METRIC_TABLES,
  DEFAULT_METRICS_TTL_DAYS,
  defaultMetricsStorageConfig,
  type MetricRollupResolutionConfig,
  type MetricsStorageConfig,
  type MetricTablesConfig,
  metricTableNames,
  resolutionLabel,
  rollupTableName,
} from './metrics-storage.config';
export {
  jsonFloat,
  type MetricRowCoordinates,
  type MetricSampleRows,
  type MetricSampleRowsOptions,
  type MetricSeriesRow,
  metricRollupRow,
  metricSampleRows,
  metricSeriesLabels,
  prometheusType,
  promFloatLabel,
} from './tables/metric-rows';
export { METRIC_SAMPLE_INSERT_COLUMNS, METRIC_SERIES_INSERT_COLUMNS, NATIVE_HISTOGRAM_INSERT_COLUMNS, STALE_FLAG } from './tables/metric-samples.table';
export { METRIC_ROLLUP_INSERT_COLUMNS } from './tables/metric-rollups.table';
export { METRICS_DEDUPLICATION_WINDOW, OTEL_METRIC_INSERT_COLUMNS, type OtelMetricTableKind } from './tables/otel-metrics.table';
export {
  LeaseRevokedError,
  type LogWriteLease,
  type LogWriteResult,
  type OrderedSource,
  type PartitionPlan,
  PartitionWriteLease,
  ReplayRequiredError,
  type SinkLogRecord,
  type SinkRecord,
  type WriteResult,
  type WrittenRange,
} from './exactly-once/log-write-lease';
export { type RejectedRow } from './exactly-once/range-inserter';
export { decideRange, type OffsetGap, type RangeAction, type RangeDecision, type RangeStatus, type StoredRange } from './exactly-once/range-decision';
export { PartitionClaimConflictError, type PartitionKey, type PartitionState, resolvePartitionState, SinkStateStore } from './exactly-once/sink-state.store';
export {
  ROWS_REJECTED_METRIC,
  STATE_CONFLICTS_METRIC,
  STATE_GAP_OFFSETS_METRIC,
  STATE_GAPS_METRIC,
  STATE_LEASES_METRIC,
  STATE_REPLAY_MISMATCHES_METRIC,
  STATE_RESETS_METRIC,
  STATE_ROWS_METRIC,
  TIMESTAMPS_REPLACED_METRIC,
} from './exactly-once/log-writer.metrics';
