/**
 * Migration 1: the database and the logs table. Columns, types, codecs and skip indexes follow the
 * OpenTelemetry Collector ClickHouse exporter's `otel_logs` table, so Grafana's ClickHouse plugin, ClickStack
 * and existing queries work unchanged; Sextant's own columns (tenant, Kubernetes origin, parse flags, Kafka
 * coordinates) come after them. Plain MergeTree so the same DDL runs on embedded chDB and on a single server.
 */
import type { Migration } from './migration';

/**
 * Insert-token blocks remembered per table (`non_replicated_deduplication_window`). A redelivered batch is
 * dropped only while its first insert is still among the last N blocks written to the table. Redelivery
 * follows a crash or rebalance (seconds to minutes later); 10000 blocks covers ~8 minutes at 20 inserts/s
 * across all sink replicas (an insert spanning two days writes two blocks). Tune with
 * `ALTER TABLE ... MODIFY SETTING non_replicated_deduplication_window = N`.
 */
export const LOGS_DEDUPLICATION_WINDOW = 10_000;

export const createOtelLogsMigration: Migration = {
  version: 1,
  name: 'create_otel_logs',
  up: (ctx) => [
    `CREATE DATABASE IF NOT EXISTS ${ctx.database}`,
    // ORDER BY: every query is scoped to one tenant, most to a service, and all to a time range, so that is the
    // key order; TimestampTime (seconds) before Timestamp keeps the primary index small and range-prunable,
    // and Timestamp last orders rows exactly within a second. PRIMARY KEY is the prefix kept in memory.
    `CREATE TABLE IF NOT EXISTS ${ctx.tables.logs}
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimestampTime DateTime DEFAULT toDateTime(Timestamp),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    TraceFlags UInt8,
    SeverityText LowCardinality(String) CODEC(ZSTD(1)),
    SeverityNumber UInt8,
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Body String CODEC(ZSTD(1)),
    ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    EventName String CODEC(ZSTD(1)),
    Tenant LowCardinality(String) CODEC(ZSTD(1)),
    ObservedTimestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Source LowCardinality(String) CODEC(ZSTD(1)),
    Stream LowCardinality(String) CODEC(ZSTD(1)),
    ParseFlags Array(LowCardinality(String)) CODEC(ZSTD(1)),
    K8sNamespace LowCardinality(String) CODEC(ZSTD(1)),
    K8sPod LowCardinality(String) CODEC(ZSTD(1)),
    K8sPodUid LowCardinality(String) CODEC(ZSTD(1)),
    K8sContainer LowCardinality(String) CODEC(ZSTD(1)),
    K8sNode LowCardinality(String) CODEC(ZSTD(1)),
    K8sLabels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    _KafkaTopic LowCardinality(String) CODEC(ZSTD(1)),
    _KafkaPartition UInt32 CODEC(ZSTD(1)),
    _KafkaOffset UInt64 CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_k8s_label_key mapKeys(K8sLabels) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_k8s_label_value mapValues(K8sLabels) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
)
ENGINE = MergeTree
PARTITION BY toDate(TimestampTime)
PRIMARY KEY (Tenant, ServiceName, TimestampTime)
ORDER BY (Tenant, ServiceName, TimestampTime, Timestamp)
TTL TimestampTime + toIntervalDay(${ctx.logsTtlDays})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = ${LOGS_DEDUPLICATION_WINDOW}`,
  ],
};
