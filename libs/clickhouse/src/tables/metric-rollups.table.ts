/**
 * One table per rollup resolution (`sextant_metric_rollups_10s`, `_1m`, ...), with the columns of a
 * `MetricRollup`. A ReplacingMergeTree versioned by `Revision` and keyed by (tenant, metric, series, window,
 * shard): a window the aggregator re-opens and emits again with a higher revision replaces the earlier row on
 * merge (read with FINAL or argMax by revision until then), and a replay of the same revision is a no-op.
 * Pre-aggregation partials (`Shard` ≥ 0) are separate rows that readers add up per window.
 */
import { EXPONENTIAL_BUCKET_COLUMNS, METRIC_TABLE_SETTINGS, SERIES_IDENTITY_COLUMNS } from './metric-samples.table';

/** The TTL clause of a rollup table, re-applied by `migrate()`. */
export function windowStartTtl(days: number): string {
  return `TTL toDateTime(WindowStart) + toIntervalDay(${days})`;
}

export function metricRollupTableDdl(quotedTable: string, ttlDays: number): string {
  return `CREATE TABLE IF NOT EXISTS ${quotedTable}
(
${SERIES_IDENTITY_COLUMNS}
    Labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Unit LowCardinality(String) CODEC(ZSTD(1)),
    WindowStart DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
    WindowEnd DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
    Kind LowCardinality(String) CODEC(ZSTD(1)),
    Count UInt64 CODEC(ZSTD(1)),
    Sum Float64 CODEC(Gorilla, ZSTD(1)),
    Min Nullable(Float64) CODEC(ZSTD(1)),
    Max Nullable(Float64) CODEC(ZSTD(1)),
    Last Float64 CODEC(Gorilla, ZSTD(1)),
    Increase Nullable(Float64) CODEC(ZSTD(1)),
    Rate Nullable(Float64) CODEC(ZSTD(1)),
    Resets UInt32 CODEC(ZSTD(1)),
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
    BucketCounts Array(UInt64) CODEC(ZSTD(1)),
${EXPONENTIAL_BUCKET_COLUMNS}
    Quantiles Nested (
        Quantile Float64,
        Value Float64
    ) CODEC(ZSTD(1)),
    Overflow Bool CODEC(ZSTD(1)),
    SourceTopic LowCardinality(String) CODEC(ZSTD(1)),
    Revision UInt32 CODEC(ZSTD(1)),
    Shard Int32 CODEC(ZSTD(1)),
    _KafkaTopic LowCardinality(String) CODEC(ZSTD(1)),
    _KafkaPartition UInt32 CODEC(ZSTD(1)),
    _KafkaOffset UInt64 CODEC(ZSTD(1)),
    _KafkaIndex Int32 CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree(Revision)
PARTITION BY toDate(WindowStart)
ORDER BY (Tenant, MetricName, SeriesId, WindowStart, Shard)
${windowStartTtl(ttlDays)}
${METRIC_TABLE_SETTINGS}`;
}

export const METRIC_ROLLUP_INSERT_COLUMNS = [
  'Tenant', 'MetricName', 'SeriesKey', 'Labels', 'ServiceName', 'Unit', 'WindowStart', 'WindowEnd', 'Kind', 'Count', 'Sum', 'Min', 'Max', 'Last',
  'Increase', 'Rate', 'Resets', 'ExplicitBounds', 'BucketCounts', 'Scale', 'ZeroCount', 'ZeroThreshold', 'PositiveOffset', 'PositiveBucketCounts',
  'NegativeOffset', 'NegativeBucketCounts', '`Quantiles.Quantile`', '`Quantiles.Value`', 'Overflow', 'SourceTopic', 'Revision', 'Shard',
  '_KafkaTopic', '_KafkaPartition', '_KafkaOffset', '_KafkaIndex',
] as const;
