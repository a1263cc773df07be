/**
 * Maps a Sextant `LogRecord` onto a row of the `otel_logs` table for `JSONEachRow` inserts. The mapping is a
 * pure function of its inputs (no clock, no randomness): a batch re-read after a crash must produce the very
 * same rows, or the insert deduplication token would not protect it. Nanosecond timestamps stay exact by
 * being written as decimal-second strings built from the bigint, never through a float.
 */
import type { LogRecord } from '@sextant/contracts';
import { offsetOf, type KafkaCoordinates } from '../kafka-coordinates';

/** One `otel_logs` row as sent in JSONEachRow. `TimestampTime` is omitted: the table derives it from `Timestamp`. */
export interface OtelLogRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceSchemaUrl: string;
  ResourceAttributes: Record<string, string>;
  ScopeSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: Record<string, string>;
  LogAttributes: Record<string, string>;
  EventName: string;
  Tenant: string;
  ObservedTimestamp: string;
  Source: string;
  Stream: string;
  ParseFlags: string[];
  K8sNamespace: string;
  K8sPod: string;
  K8sPodUid: string;
  K8sContainer: string;
  K8sNode: string;
  K8sLabels: Record<string, string>;
  _KafkaTopic: string;
  _KafkaPartition: number;
  /** UInt64 as a decimal string (JSON numbers would lose precision past 2^53). */
  _KafkaOffset: string;
}

const NANOS_PER_SECOND = 1_000_000_000n;
/** Largest instant DateTime64(9) holds (its Int64 tick count): 2262-04-11. */
const MAX_DATETIME64_9 = 2n ** 63n - 1n;
/** Highest OpenTelemetry severity number (FATAL4). */
export const MAX_SEVERITY_NUMBER = 24;

/**
 * Unix nanoseconds → the decimal-seconds text ClickHouse parses exactly into DateTime64(9), e.g.
 * `1700000000123456789n` → `'1700000000.123456789'`, `5n` → `'0000000000.000000005'`. Values are clamped to the type's range (negative → epoch).
 */
export function formatDateTime64Nanos(unixNano: bigint): string {
  const clamped = unixNano < 0n ? 0n : unixNano > MAX_DATETIME64_9 ? MAX_DATETIME64_9 : unixNano;
  const seconds = clamped / NANOS_PER_SECOND;
  const nanos = clamped % NANOS_PER_SECOND;
  // Ten integer digits always: ClickHouse reads shorter ones (before 1973-03-03) as a date, not a Unix time.
  return `${seconds.toString().padStart(10, '0')}.${nanos.toString().padStart(9, '0')}`;
}

function clampInteger(value: number, max: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(max, Math.max(0, Math.trunc(value)));
}

/**
 * The `otel_logs` row for `record`. `Timestamp` is the event time, or the observed time when the producer
 * left the event time at 0 (as OTLP allows); `ObservedTimestamp` falls back to the event time the same way.
 * `ServiceName` falls back to the `service.name` resource attribute. Without `coords` the Kafka columns are
 * empty/zero.
 */
export function toOtelLogRow(record: LogRecord, coords?: KafkaCoordinates): OtelLogRow {
  const eventTime = record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  const observedTime = record.observedTimeUnixNano !== 0n ? record.observedTimeUnixNano : eventTime;
  const k8s = record.k8s;
  return {
    Timestamp: formatDateTime64Nanos(eventTime),
    TraceId: record.traceId,
    SpanId: record.spanId,
    TraceFlags: clampInteger(record.traceFlags, 255),
    SeverityText: record.severityText,
    SeverityNumber: clampInteger(record.severityNumber, MAX_SEVERITY_NUMBER),
    ServiceName: record.serviceName !== '' ? record.serviceName : (record.resource['service.name'] ?? ''),
    Body: record.body,
    ResourceSchemaUrl: '',
    ResourceAttributes: record.resource,
    ScopeSchemaUrl: '',
    ScopeName: record.scopeName,
    ScopeVersion: record.scopeVersion,
    ScopeAttributes: {},
    LogAttributes: record.attributes,
    EventName: '',
    Tenant: record.tenant,
    ObservedTimestamp: formatDateTime64Nanos(observedTime),
    Source: record.source,
    Stream: record.stream,
    ParseFlags: record.parseFlags,
    K8sNamespace: k8s?.namespace ?? '',
    K8sPod: k8s?.pod ?? '',
    K8sPodUid: k8s?.podUid ?? '',
    K8sContainer: k8s?.container ?? '',
    K8sNode: k8s?.node ?? '',
    K8sLabels: k8s?.labels ?? {},
    _KafkaTopic: coords?.topic ?? '',
    _KafkaPartition: coords?.partition ?? 0,
    _KafkaOffset: coords === undefined ? '0' : offsetOf(coords).toString(),
  };
}
