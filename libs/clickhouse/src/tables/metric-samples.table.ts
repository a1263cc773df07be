/**
 * Sextant's PromQL storage, after the layout Prometheus-on-ClickHouse systems share (qryn, cLoki): a small
 * **series** table answering "which series of this tenant and metric match these label matchers, on these
 * days" and a narrow **samples** table holding (series id, time, value, flags) in series order, so a range
 * query reads one contiguous run per series. Histograms and summaries are stored as their Prometheus classic
 * series (`_bucket{le}`, `_sum`, `_count`, `{quantile}`), each with its own series id; exponential histograms
 * keep their buckets in a **native histograms** table beside their `_count`/`_sum` samples.
 *
 * `SeriesId` is `cityHash64` of the series key (`seriesKey()` of @sextant/contracts, the string that also keys
 * the series on Kafka), computed by ClickHouse from an EPHEMERAL `SeriesKey` column on insert: both tables hash
 * the same string with the same function, so no JavaScript port of CityHash can drift from the server's.
 */
import { METRICS_DEDUPLICATION_WINDOW, timeUnixTtl } from './otel-metrics.table';

/** Bit 0 of `Flags`: the series went stale at this time (OTLP NO_RECORDED_VALUE, Prometheus stale marker). */
export const STALE_FLAG = 1;

/** Tenant, metric and series id, the latter hashed by the server from the key sent on insert. */
export const SERIES_IDENTITY_COLUMNS = `    Tenant LowCardinality(String) CODEC(ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    SeriesKey String EPHEMERAL,
    SeriesId UInt64 DEFAULT cityHash64(SeriesKey) CODEC(ZSTD(1)),`;

/** An exponential histogram's buckets, as stored by the native histograms and the rollup tables. */
export const EXPONENTIAL_BUCKET_COLUMNS = `    Scale Int32 CODEC(ZSTD(1)),
    ZeroCount UInt64 CODEC(ZSTD(1)),
    ZeroThreshold Float64 CODEC(ZSTD(1)),
    PositiveOffset Int32 CODEC(ZSTD(1)),
    PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset Int32 CODEC(ZSTD(1)),
    NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),`;

/** Settings of every metric table: whole-day TTL drops, and a dedup window for the insert tokens. */
export const METRIC_TABLE_SETTINGS = `SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = ${METRICS_DEDUPLICATION_WINDOW}`;

export function metricSeriesTableDdl(quotedTable: string, ttlDays: number): string {
  // PARTITION BY Date and a ReplacingMergeTree on the series key leaves one row per series per day: a label
  // lookup for a range reads only that range's days. LastSeen as the version keeps the latest metadata; the
  // day is the server's toDate(LastSeen), like the samples' partition, so both agree on the time zone.
  return `CREATE TABLE IF NOT EXISTS ${quotedTable}
(
    Date Date DEFAULT toDate(LastSeen) CODEC(Delta, ZSTD(1)),
    Tenant LowCardinality(String) CODEC(ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    SeriesKey String CODEC(ZSTD(1)),
    SeriesId UInt64 DEFAULT cityHash64(SeriesKey) CODEC(ZSTD(1)),
    Labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Type LowCardinality(String) CODEC(ZSTD(1)),
    Unit LowCardinality(String) CODEC(ZSTD(1)),
    Help String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    LastSeen DateTime64(9) CODEC(Delta, ZSTD(1)),
    INDEX idx_label_key mapKeys(Labels) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_label_value mapValues(Labels) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(LastSeen)
PARTITION BY Date
ORDER BY (Tenant, MetricName, SeriesId)
TTL Date + toIntervalDay(${ttlDays})
${METRIC_TABLE_SETTINGS}`;
}

export function metricSamplesTableDdl(quotedTable: string, ttlDays: number): string {
  // DoubleDelta suits regular scrape intervals, Gorilla slowly moving floats; both then ZSTD.
  return `CREATE TABLE IF NOT EXISTS ${quotedTable}
(
${SERIES_IDENTITY_COLUMNS}
    TimeUnix DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
    Value Float64 CODEC(Gorilla, ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (Tenant, MetricName, SeriesId, TimeUnix)
${timeUnixTtl(ttlDays)}
${METRIC_TABLE_SETTINGS}`;
}

export function nativeHistogramsTableDdl(quotedTable: string, ttlDays: number): string {
  return `CREATE TABLE IF NOT EXISTS ${quotedTable}
(
${SERIES_IDENTITY_COLUMNS}
    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    TimeUnix DateTime64(9) CODEC(DoubleDelta, ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(Gorilla, ZSTD(1)),
    Min Nullable(Float64) CODEC(ZSTD(1)),
    Max Nullable(Float64) CODEC(ZSTD(1)),
${EXPONENTIAL_BUCKET_COLUMNS}
    Flags UInt32 CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (Tenant, MetricName, SeriesId, TimeUnix)
${timeUnixTtl(ttlDays)}
${METRIC_TABLE_SETTINGS}`;
}

export const METRIC_SERIES_INSERT_COLUMNS = ['Tenant', 'MetricName', 'SeriesKey', 'Labels', 'Type', 'Unit', 'Help', 'ServiceName', 'LastSeen'] as const;
export const METRIC_SAMPLE_INSERT_COLUMNS = ['Tenant', 'MetricName', 'SeriesKey', 'TimeUnix', 'Value', 'Flags'] as const;
export const NATIVE_HISTOGRAM_INSERT_COLUMNS = [
  'Tenant', 'MetricName', 'SeriesKey', 'StartTimeUnix', 'TimeUnix', 'AggregationTemporality', 'Count', 'Sum', 'Min', 'Max', 'Scale', 'ZeroCount',
  'ZeroThreshold', 'PositiveOffset', 'PositiveBucketCounts', 'NegativeOffset', 'NegativeBucketCounts', 'Flags',
] as const;
