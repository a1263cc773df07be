/**
 * The OpenTelemetry Collector ClickHouse exporter's five metric tables (`otel_metrics_gauge`, `_sum`,
 * `_histogram`, `_exp_histogram`, `_summary`): the exporter's column names, types, codecs, skip indexes,
 * engine, partitioning and ORDER BY, so Grafana's ClickHouse plugin reads them unchanged. Sextant appends its
 * own columns after the exporter's: `Tenant` and the Kafka coordinates that identify the sample a row came
 * from (`_KafkaTopic`, `_KafkaPartition`, `_KafkaOffset`, `_KafkaIndex`, as on `otel_logs`). Extra columns do
 * not disturb the plugin, which names the columns it reads.
 */

/** Which exporter table a sample of an OTLP source goes to. */
export type OtelMetricTableKind = 'gauge' | 'sum' | 'histogram' | 'expHistogram' | 'summary';

/** Insert-token blocks remembered per metric table; see LOGS_DEDUPLICATION_WINDOW for the reasoning. */
export const METRICS_DEDUPLICATION_WINDOW = 10_000;

const EXEMPLARS = `    Exemplars Nested (
        FilteredAttributes Map(LowCardinality(String), String),
        TimeUnix DateTime64(9),
        Value Float64,
        SpanId String,
        TraceId String
    ) CODEC(ZSTD(1)),`;

/** Columns every exporter metric table starts with, in the exporter's order. */
const HEAD = `    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl String CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),
    ScopeSchemaUrl String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    MetricName String CODEC(ZSTD(1)),
    MetricDescription String CODEC(ZSTD(1)),
    MetricUnit String CODEC(ZSTD(1)),
    Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),`;

/** The columns of each table between the head and Sextant's tail, as in the exporter. */
const BODY: Record<OtelMetricTableKind, string> = {
  gauge: `    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
${EXEMPLARS}`,
  sum: `    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
${EXEMPLARS}
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    IsMonotonic Boolean CODEC(Delta, ZSTD(1)),`,
  histogram: `    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    BucketCounts Array(UInt64) CODEC(ZSTD(1)),
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
${EXEMPLARS}
    Flags UInt32 CODEC(ZSTD(1)),
    Min Float64 CODEC(ZSTD(1)),
    Max Float64 CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),`,
  expHistogram: `    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    Scale Int32 CODEC(ZSTD(1)),
    ZeroCount UInt64 CODEC(ZSTD(1)),
    PositiveOffset Int32 CODEC(ZSTD(1)),
    PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset Int32 CODEC(ZSTD(1)),
    NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),
${EXEMPLARS}
    Flags UInt32 CODEC(ZSTD(1)),
    Min Float64 CODEC(ZSTD(1)),
    Max Float64 CODEC(ZSTD(1)),
    AggregationTemporality Int32 CODEC(ZSTD(1)),`,
  summary: `    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    ValueAtQuantiles Nested (
        Quantile Float64,
        Value Float64
    ) CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),`,
};

const TAIL = `    Tenant LowCardinality(String) CODEC(ZSTD(1)),
    _KafkaTopic LowCardinality(String) CODEC(ZSTD(1)),
    _KafkaPartition UInt32 CODEC(ZSTD(1)),
    _KafkaOffset UInt64 CODEC(ZSTD(1)),
    _KafkaIndex Int32 CODEC(ZSTD(1)),
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_attr_value mapValues(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1`;

/** The TTL clause of the exporter tables (and of Sextant's sample tables), re-applied by `migrate()`. */
export function timeUnixTtl(days: number): string {
  return `TTL toDateTime(TimeUnix) + toIntervalDay(${days})`;
}

/** CREATE TABLE of one exporter table; `quotedTable` is the database-qualified, quoted name. */
export function otelMetricTableDdl(kind: OtelMetricTableKind, quotedTable: string, ttlDays: number): string {
  return `CREATE TABLE IF NOT EXISTS ${quotedTable}
(
${HEAD}
${BODY[kind]}
${TAIL}
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix))
${timeUnixTtl(ttlDays)}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = ${METRICS_DEDUPLICATION_WINDOW}`;
}

const HEAD_COLUMNS = [
  'ResourceAttributes', 'ResourceSchemaUrl', 'ScopeName', 'ScopeVersion', 'ScopeAttributes', 'ScopeDroppedAttrCount', 'ScopeSchemaUrl',
  'ServiceName', 'MetricName', 'MetricDescription', 'MetricUnit', 'Attributes', 'StartTimeUnix', 'TimeUnix',
] as const;
const EXEMPLAR_COLUMNS = ['`Exemplars.FilteredAttributes`', '`Exemplars.TimeUnix`', '`Exemplars.Value`', '`Exemplars.SpanId`', '`Exemplars.TraceId`'] as const;
const TAIL_COLUMNS = ['Tenant', '_KafkaTopic', '_KafkaPartition', '_KafkaOffset', '_KafkaIndex'] as const;

/** Insert columns of each exporter table, in the order `metricSampleRows` fills them (Nested as arrays). */
export const OTEL_METRIC_INSERT_COLUMNS: Readonly<Record<OtelMetricTableKind, readonly string[]>> = {
  gauge: [...HEAD_COLUMNS, 'Value', 'Flags', ...EXEMPLAR_COLUMNS, ...TAIL_COLUMNS],
  sum: [...HEAD_COLUMNS, 'Value', 'Flags', ...EXEMPLAR_COLUMNS, 'AggregationTemporality', 'IsMonotonic', ...TAIL_COLUMNS],
  histogram: [...HEAD_COLUMNS, 'Count', 'Sum', 'BucketCounts', 'ExplicitBounds', ...EXEMPLAR_COLUMNS, 'Flags', 'Min', 'Max', 'AggregationTemporality', ...TAIL_COLUMNS],
  expHistogram: [
    ...HEAD_COLUMNS, 'Count', 'Sum', 'Scale', 'ZeroCount', 'PositiveOffset', 'PositiveBucketCounts', 'NegativeOffset', 'NegativeBucketCounts',
    ...EXEMPLAR_COLUMNS, 'Flags', 'Min', 'Max', 'AggregationTemporality', ...TAIL_COLUMNS,
  ],
  summary: [...HEAD_COLUMNS, 'Count', 'Sum', '`ValueAtQuantiles.Quantile`', '`ValueAtQuantiles.Value`', 'Flags', ...TAIL_COLUMNS],
};
