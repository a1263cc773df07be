// The topics of Sextant as data: every logical topic, what its values are, how its records are keyed, and how
// it should be created. Stages and the topic-provisioning code read this table instead of spelling names,
// partition counts or retention themselves, so a topic is described in exactly one place. Physical names add
// a configurable prefix (default `sextant.`) except for the OTLP topics, whose names are the defaults of the
// OpenTelemetry Collector's Kafka exporter and must match what an unmodified Collector writes.
import { ALERT_SCHEMA, DEAD_LETTER_SCHEMA, LOG_BATCH_SCHEMA, LOG_RECORD_SCHEMA, METRIC_BATCH_SCHEMA, METRIC_ROLLUP_BATCH_SCHEMA, METRIC_ROLLUP_SCHEMA, METRIC_SAMPLE_SCHEMA, NOTIFICATION_SCHEMA, SERVICE_GRAPH_EDGE_SCHEMA, SPAN_SCHEMA, TRACE_SUMMARY_SCHEMA } from './generated';

/** Every logical topic name, in pipeline order. */
export const LOGICAL_TOPICS = [
  'ingest.logs',
  'ingest.metrics',
  'ingest.spans',
  'ingest.logs.json',
  'otlp_logs',
  'otlp_spans',
  'otlp_metrics',
  'logs',
  'metrics.rollups',
  'spans',
  'traces',
  'servicegraph',
  'alerts',
  'notifications',
  'deadletter',
  'scraper.shards',
] as const;

/** A logical topic: the name without the deployment's prefix. */
export type LogicalTopic = (typeof LOGICAL_TOPICS)[number];

/** What a topic's record key is, and so which records share a partition. */
export type TopicKeyKind =
  /** logStreamKey: tenant, namespace, pod, container (or tenant, service). */
  | 'stream'
  /** seriesKey: tenant, metric name, sorted labels. */
  | 'series'
  /** traceKey: the trace id. */
  | 'trace'
  /** alertKey: tenant and alert fingerprint. */
  | 'fingerprint'
  /** No key Sextant relies on (whatever the producer set, or null). */
  | 'none';

/** Kafka cleanup.policy values Sextant uses. */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

/** How one logical topic is encoded, keyed and created. */
export interface TopicSpec {
  /** Avro value schema (Confluent wire format, subject `<topic>-value`), or null for non-Avro topics. */
  readonly valueSchema: object | null;
  /**
   * Avro schema of the batch envelope Sextant's own stages write to this topic (one message, many records of one
   * key), registered under `envelopeSubjectName`; null when the topic carries single records only. Readers
   * accept both the envelope and the single `valueSchema` record, told apart by the writer schema's name.
   */
  readonly envelopeSchema: object | null;
  /** Value encoding: Avro, JSON lines, OTLP protobuf (ExportLogs/Trace/MetricsServiceRequest), or none (a topic that carries no records). */
  readonly encoding: 'avro' | 'json-lines' | 'otlp-protobuf' | 'none';
  /** What the record key is (keys are UTF-8 strings, not Avro). */
  readonly key: TopicKeyKind;
  /** Partitions when Sextant creates the topic. */
  readonly partitions: number;
  /** retention.ms when Sextant creates the topic. */
  readonly retentionMs: number;
  /** cleanup.policy when Sextant creates the topic. */
  readonly cleanupPolicy: CleanupPolicy;
  /** Whether the physical name carries the deployment's prefix. */
  readonly prefixed: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Partitions of the high-volume topics (everything collected, and logs/spans after their stage). Partitions cap
 * how many replicas of a consumer group do work, and these feed the CPU-heavy stages (parser, aggregator,
 * assembler); they are sized up front because adding partitions later moves keys, and with them the
 * per-stream, per-series and per-trace state of those stages.
 */
export const DEFAULT_HIGH_VOLUME_PARTITIONS = 6;
/** Partitions of the derived, low-volume topics (rollups, trace summaries, edges, alerts): one sink replica keeps up. */
export const DEFAULT_LOW_VOLUME_PARTITIONS = 3;
/**
 * Shards of the scraper's targets (partitions of `scraper.shards`): replicas beyond it get none. A target's
 * shard is a hash of its key modulo this count, so changing it moves targets between replicas once.
 */
export const SCRAPER_SHARDS = 12;
/** Retention of the ingest topics: long enough to ride out a weekend-long outage of the stage after them. */
export const DEFAULT_INGEST_RETENTION_MS = 3 * DAY_MS;
/** Retention of the processed topics: replay into ClickHouse and alert-rule backtesting read this far back. */
export const DEFAULT_PROCESSED_RETENTION_MS = 7 * DAY_MS;
/** Retention of alerts and notifications: the durable alert history and notification audit trail. */
export const DEFAULT_ALERTING_RETENTION_MS = 30 * DAY_MS;
/** Retention of the dead-letter topic: time for someone to look, fix, and replay. */
export const DEFAULT_DEADLETTER_RETENTION_MS = 14 * DAY_MS;

function ingest(valueSchema: object | null, encoding: TopicSpec['encoding'], key: TopicKeyKind, prefixed = true, envelopeSchema: object | null = null): TopicSpec {
  return { valueSchema, envelopeSchema, encoding, key, partitions: DEFAULT_HIGH_VOLUME_PARTITIONS, retentionMs: DEFAULT_INGEST_RETENTION_MS, cleanupPolicy: 'delete', prefixed };
}

function processed(valueSchema: object, key: TopicKeyKind, partitions: number, retentionMs = DEFAULT_PROCESSED_RETENTION_MS, envelopeSchema: object | null = null): TopicSpec {
  return { valueSchema, envelopeSchema, encoding: 'avro', key, partitions, retentionMs, cleanupPolicy: 'delete', prefixed: true };
}

/**
 * Every topic's spec. All use cleanup.policy delete: alerts is an event log of state changes (backtests and
 * the sink need every change, not the last per fingerprint); stage state lives in checkpoints, not here.
 */
export const TOPIC_SPECS: Readonly<Record<LogicalTopic, TopicSpec>> = {
  'ingest.logs': ingest(LOG_RECORD_SCHEMA, 'avro', 'stream', true, LOG_BATCH_SCHEMA),
  'ingest.metrics': ingest(METRIC_SAMPLE_SCHEMA, 'avro', 'series', true, METRIC_BATCH_SCHEMA),
  'ingest.spans': ingest(SPAN_SCHEMA, 'avro', 'trace'),
  'ingest.logs.json': ingest(null, 'json-lines', 'none'),
  otlp_logs: ingest(null, 'otlp-protobuf', 'none', false),
  otlp_spans: ingest(null, 'otlp-protobuf', 'none', false),
  otlp_metrics: ingest(null, 'otlp-protobuf', 'none', false),
  logs: processed(LOG_RECORD_SCHEMA, 'stream', DEFAULT_HIGH_VOLUME_PARTITIONS, DEFAULT_PROCESSED_RETENTION_MS, LOG_BATCH_SCHEMA),
  'metrics.rollups': processed(METRIC_ROLLUP_SCHEMA, 'series', DEFAULT_LOW_VOLUME_PARTITIONS, DEFAULT_PROCESSED_RETENTION_MS, METRIC_ROLLUP_BATCH_SCHEMA),
  spans: processed(SPAN_SCHEMA, 'trace', DEFAULT_HIGH_VOLUME_PARTITIONS),
  traces: processed(TRACE_SUMMARY_SCHEMA, 'trace', DEFAULT_LOW_VOLUME_PARTITIONS),
  servicegraph: processed(SERVICE_GRAPH_EDGE_SCHEMA, 'none', DEFAULT_LOW_VOLUME_PARTITIONS),
  alerts: processed(ALERT_SCHEMA, 'fingerprint', DEFAULT_LOW_VOLUME_PARTITIONS, DEFAULT_ALERTING_RETENTION_MS),
  notifications: processed(NOTIFICATION_SCHEMA, 'none', DEFAULT_LOW_VOLUME_PARTITIONS, DEFAULT_ALERTING_RETENTION_MS),
  deadletter: processed(DEAD_LETTER_SCHEMA, 'none', DEFAULT_LOW_VOLUME_PARTITIONS, DEFAULT_DEADLETTER_RETENTION_MS),
  // No records: its partitions are the scraper's shards, handed to the replicas by the consumer group.
  'scraper.shards': { valueSchema: null, envelopeSchema: null, encoding: 'none', key: 'none', partitions: SCRAPER_SHARDS, retentionMs: HOUR_MS, cleanupPolicy: 'delete', prefixed: true },
};

/** The default prefix of physical topic names. */
export const DEFAULT_TOPIC_PREFIX = 'sextant.';

const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Physical topic name of a logical topic: `prefix + logical`, except for the OTLP topics, which take
 * `otlpPrefix` (empty by default: the OpenTelemetry Collector Kafka exporter's own names).
 * Throws when the result is not a legal Kafka topic name, so a bad prefix stops a stage at boot.
 */
export function topicName(prefix: string, logical: LogicalTopic, otlpPrefix = ''): string {
  const spec = TOPIC_SPECS[logical];
  if (!spec) throw new Error(`unknown logical topic: ${String(logical)}`);
  const name = `${spec.prefixed ? prefix : otlpPrefix}${logical}`;
  if (!KAFKA_TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new Error(`illegal Kafka topic name ${JSON.stringify(name)} (prefix ${JSON.stringify(prefix)}): use 1-249 of [a-zA-Z0-9._-]`);
  }
  return name;
}

/** Schema-registry subject of a topic's values or keys (Confluent TopicNameStrategy): `<topic>-value`. */
export function subjectName(topic: string, part: 'value' | 'key'): string {
  return `${topic}-${part}`;
}

/**
 * Subject of a batch envelope schema on a topic (Confluent TopicRecordNameStrategy): `<topic>-<namespace>.<name>`.
 * A subject of its own lets the envelope evolve under BACKWARD beside the single-record `<topic>-value`, which
 * third-party producers keep using.
 */
export function envelopeSubjectName(topic: string, envelopeSchema: object): string {
  const s = envelopeSchema as { name?: unknown; namespace?: unknown };
  if (typeof s.name !== 'string') throw new Error('an envelope schema needs a name');
  const fullName = s.name.includes('.') || typeof s.namespace !== 'string' ? s.name : `${s.namespace}.${s.name}`;
  return `${topic}-${fullName}`;
}
