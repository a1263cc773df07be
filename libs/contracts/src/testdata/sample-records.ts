// One realistic record per schema, typed with the generated interfaces (so the types are exercised by the
// compiler too) and used by the specs to prove every schema round-trips. Timestamps are real nanosecond
// values, far above 2^53, so a lossy long mapping would show.
import type { Alert, DeadLetter, LogRecord, MetricRollup, MetricSample, Notification, ServiceGraphEdge, Span, TraceSummary } from '../generated';

const T0_NS = 1_735_689_600_123_456_789n; // 2025-01-01T00:00:00.123456789Z
const T0_MS = 1_735_689_600_123n;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export const SAMPLE_LOG_RECORD: LogRecord = {
  tenant: 'acme',
  timeUnixNano: T0_NS,
  observedTimeUnixNano: T0_NS + 1_000_000n,
  severityNumber: 17,
  severityText: 'ERROR',
  body: 'payment failed: card declined',
  attributes: { 'http.route': '/pay', 'log.iostream': 'stderr' },
  resource: { 'service.name': 'checkout', 'k8s.namespace.name': 'shop' },
  scopeName: 'checkout-logger',
  scopeVersion: '1.2.0',
  traceId: TRACE_ID,
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  serviceName: 'checkout',
  source: 'agent',
  stream: 'stderr',
  k8s: { namespace: 'shop', pod: 'checkout-7d9f-x2', podUid: '0b7c1d2e-1111-4c4c-9d9d-123456789abc', container: 'app', node: 'node-1', labels: { app: 'checkout' } },
  parseFlags: ['plain'],
};

export const SAMPLE_DEAD_LETTER: DeadLetter = {
  stage: 'parser',
  reason: 'unknown magic byte 0x7b',
  errorKind: 'undecodable',
  topic: 'sextant.ingest.logs',
  partition: 3,
  offset: 9_007_199_254_740_993n, // 2^53 + 1
  index: 7,
  key: Buffer.from('acme/shop/checkout-7d9f-x2/app'),
  value: Buffer.from([0x7b, 0x22, 0x61]),
  headers: { 'content-type': 'application/json' },
  timestampMs: T0_MS,
  failedAtMs: T0_MS + 5n,
  tenant: 'acme',
};

export const SAMPLE_METRIC_SAMPLE: MetricSample = {
  tenant: 'acme',
  name: 'http_server_request_duration_seconds',
  description: 'Duration of HTTP server requests.',
  unit: 's',
  type: 'EXPONENTIAL_HISTOGRAM',
  temporality: 'CUMULATIVE',
  isMonotonic: false,
  attributes: { 'http.route': '/pay', 'http.response.status_code': '500' },
  resource: { 'service.name': 'checkout' },
  serviceName: 'checkout',
  scopeName: 'io.opentelemetry.http',
  scopeVersion: '2.0.0',
  startTimeUnixNano: T0_NS - 60_000_000_000n,
  timeUnixNano: T0_NS,
  value: 0,
  histogram: null,
  exponentialHistogram: {
    count: 12n,
    sum: 3.75,
    min: 0.01,
    max: 1.5,
    scale: 3,
    zeroCount: 1n,
    zeroThreshold: 0,
    positive: { offset: -20, bucketCounts: [1n, 0n, 4n, 6n] },
    negative: { offset: 0, bucketCounts: [] },
  },
  summary: null,
  exemplars: [{ timeUnixNano: T0_NS - 5n, value: 1.5, traceId: TRACE_ID, spanId: '00f067aa0ba902b7', filteredAttributes: { 'user.tier': 'gold' } }],
  flags: 0,
  source: 'otlp',
};

export const SAMPLE_METRIC_ROLLUP: MetricRollup = {
  tenant: 'acme',
  seriesKey: 'acme/http_requests_total{code="500",job="checkout"}',
  name: 'http_requests_total',
  labels: { code: '500', job: 'checkout' },
  serviceName: 'checkout',
  unit: '',
  windowStartUnixNano: 1_735_689_600_000_000_000n,
  windowEndUnixNano: 1_735_689_660_000_000_000n,
  kind: 'COUNTER',
  count: 4n,
  sum: 12,
  min: 100,
  max: 112,
  last: 112,
  increase: 12,
  rate: 0.2,
  resets: 0,
  histogram: { explicitBounds: [0.1, 0.5, 1], bucketCounts: [3n, 1n, 0n, 0n] },
  exponentialHistogram: { scale: 2, zeroCount: 1n, zeroThreshold: 0, positive: { offset: -3, bucketCounts: [1n, 0n, 2n] }, negative: { offset: 0, bucketCounts: [] } },
  quantiles: [{ quantile: 0.5, value: 0.08 }, { quantile: 0.99, value: 0.45 }],
  overflow: false,
  sourceTopic: 'ingest.metrics',
  revision: 1,
  shard: 2,
};

export const SAMPLE_SPAN: Span = {
  tenant: 'acme',
  traceId: TRACE_ID,
  spanId: '00f067aa0ba902b7',
  parentSpanId: '',
  traceState: 'rojo=00f067aa0ba902b7',
  name: 'POST /pay',
  kind: 'SERVER',
  startTimeUnixNano: T0_NS,
  endTimeUnixNano: T0_NS + 250_000_000n,
  statusCode: 'ERROR',
  statusMessage: 'card declined',
  attributes: { 'http.request.method': 'POST', 'http.response.status_code': '500' },
  resource: { 'service.name': 'checkout' },
  serviceName: 'checkout',
  scopeName: '@opentelemetry/instrumentation-http',
  scopeVersion: '0.57.0',
  events: [{ timeUnixNano: T0_NS + 200_000_000n, name: 'exception', attributes: { 'exception.type': 'CardDeclined' }, droppedAttributesCount: 0 }],
  links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 1 }],
  flags: 0x301,
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 2,
  source: 'otlp',
};

export const SAMPLE_TRACE_SUMMARY: TraceSummary = {
  tenant: 'acme',
  traceId: TRACE_ID,
  rootServiceName: 'frontend',
  rootSpanName: 'GET /checkout',
  startTimeUnixNano: T0_NS,
  endTimeUnixNano: T0_NS + 900_000_000n,
  durationNano: 900_000_000n,
  spanCount: 14,
  errorCount: 1,
  services: ['checkout', 'frontend', 'payments'],
  completeness: 'LATE_UPDATE',
  samplingDecision: 'SAMPLED',
  samplingPolicy: 'errors',
  lateSpanCount: 2,
  version: 2,
  releasedAtMs: T0_MS + 12_000n,
};

export const SAMPLE_SERVICE_GRAPH_EDGE: ServiceGraphEdge = {
  tenant: 'acme',
  windowStartUnixNano: 1_735_689_600_000_000_000n,
  windowEndUnixNano: 1_735_689_660_000_000_000n,
  client: 'checkout',
  server: 'postgres',
  connectionType: 'DATABASE',
  requestCount: 120n,
  failedCount: 3n,
  clientLatency: { boundsSeconds: [0.01, 0.1, 1], bucketCounts: [100n, 15n, 5n, 0n], count: 120n, sumSeconds: 3.2 },
  serverLatency: { boundsSeconds: [], bucketCounts: [], count: 0n, sumSeconds: 0 },
  virtualPeer: true,
  dimensions: { 'db.system': 'postgresql' },
};

export const SAMPLE_ALERT: Alert = {
  tenant: 'acme',
  fingerprint: '73dbeed5635ea4e4',
  labels: { alertname: 'HighLatency' },
  annotations: { summary: 'p99 above 1s' },
  state: 'FIRING',
  startsAtMs: T0_MS,
  endsAtMs: 0n,
  updatedAtMs: T0_MS + 60_000n,
  generatorURL: 'http://sextant/rules/latency',
  source: 'RULE',
  ruleName: 'HighLatency',
  ruleGroup: 'checkout',
  value: 1.42,
  silencedBy: [],
  inhibitedBy: ['a105e054dfb59f59'],
  receivers: ['oncall'],
  acknowledgedBy: '',
  acknowledgedAtMs: 0n,
};

export const SAMPLE_NOTIFICATION: Notification = {
  tenant: 'acme',
  receiver: 'oncall',
  integration: 'webhook',
  groupKey: '{}/{alertname="HighLatency"}:{alertname="HighLatency"}',
  groupLabels: { alertname: 'HighLatency' },
  status: 'FIRING',
  alerts: [
    { fingerprint: '73dbeed5635ea4e4', status: 'FIRING', labels: { alertname: 'HighLatency' }, annotations: {}, startsAtMs: T0_MS, endsAtMs: 0n, generatorURL: '' },
  ],
  truncatedAlerts: 0,
  idempotencyKey: 'acme/oncall/5f1c',
  attempt: 2,
  sentAtMs: T0_MS + 90_000n,
  outcome: 'FAILED',
  responseStatus: 503,
  errorMessage: 'receiver answered 503',
};

/** Sample per schema file name, so a spec can insist that every schema has one. */
export const SAMPLE_BY_SCHEMA_FILE: Readonly<Record<string, unknown>> = {
  'alert.avsc': SAMPLE_ALERT,
  'dead-letter.avsc': SAMPLE_DEAD_LETTER,
  'log-batch.avsc': { records: [SAMPLE_LOG_RECORD, { ...SAMPLE_LOG_RECORD, body: 'second', k8s: null }] },
  'log-record.avsc': SAMPLE_LOG_RECORD,
  'metric-batch.avsc': { records: [SAMPLE_METRIC_SAMPLE, { ...SAMPLE_METRIC_SAMPLE, timeUnixNano: SAMPLE_METRIC_SAMPLE.timeUnixNano + 15_000_000_000n, exemplars: [] }] },
  'metric-rollup-batch.avsc': { records: [SAMPLE_METRIC_ROLLUP, { ...SAMPLE_METRIC_ROLLUP, revision: 1 }] },
  'metric-rollup.avsc': SAMPLE_METRIC_ROLLUP,
  'metric-sample.avsc': SAMPLE_METRIC_SAMPLE,
  'notification.avsc': SAMPLE_NOTIFICATION,
  'service-graph-edge.avsc': SAMPLE_SERVICE_GRAPH_EDGE,
  'span.avsc': SAMPLE_SPAN,
  'trace-summary.avsc': SAMPLE_TRACE_SUMMARY,
};

/** Deep copy into plain objects: avsc decodes records as class instances, which deepStrictEqual tells apart. */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
}
