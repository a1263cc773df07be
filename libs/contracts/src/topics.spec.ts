import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TOPIC_PREFIX, LOGICAL_TOPICS, TOPIC_SPECS, envelopeSubjectName, subjectName, topicName } from './topics';
import { LOG_BATCH_SCHEMA, LOG_RECORD_SCHEMA, METRIC_BATCH_SCHEMA, METRIC_SAMPLE_SCHEMA, SPAN_SCHEMA, type LogBatch, type MetricBatch, type MetricSample } from './generated';
import { SAMPLE_LOG_RECORD, toPlain } from './testdata/sample-records';
import { avroType } from './avro-type';

describe('topics', () => {
  it('lists every topic of the brief, each with a spec', () => {
    const brief = ['ingest.logs', 'ingest.metrics', 'ingest.spans', 'ingest.logs.json', 'logs', 'metrics.rollups', 'spans', 'traces', 'servicegraph', 'alerts', 'notifications', 'deadletter', 'otlp_logs', 'otlp_spans', 'otlp_metrics', 'scraper.shards'];
    assert.deepEqual([...LOGICAL_TOPICS].sort(), brief.sort());
    assert.deepEqual(Object.keys(TOPIC_SPECS).sort(), brief.sort());
  });

  it('prefixes names, except the OTLP topics of the Collector Kafka exporter', () => {
    assert.equal(topicName(DEFAULT_TOPIC_PREFIX, 'ingest.logs'), 'sextant.ingest.logs');
    assert.equal(topicName('prod-', 'metrics.rollups'), 'prod-metrics.rollups');
    assert.equal(topicName('', 'alerts'), 'alerts');
    assert.equal(topicName(DEFAULT_TOPIC_PREFIX, 'otlp_spans'), 'otlp_spans');
  });

  it('refuses prefixes that make illegal Kafka names', () => {
    assert.throws(() => topicName('bad prefix ', 'logs'), /illegal Kafka topic name/);
    assert.throws(() => topicName('x'.repeat(250), 'logs'), /illegal Kafka topic name/);
    assert.throws(() => topicName('a', 'nope' as never), /unknown logical topic/);
  });

  it('names subjects with the topic name strategy', () => {
    assert.equal(subjectName('sextant.logs', 'value'), 'sextant.logs-value');
    assert.equal(subjectName('sextant.alerts', 'key'), 'sextant.alerts-key');
  });

  it('pairs each Avro topic with a schema avsc accepts, and non-Avro topics with none', () => {
    for (const logical of LOGICAL_TOPICS) {
      const spec = TOPIC_SPECS[logical];
      assert.equal(spec.valueSchema === null, spec.encoding !== 'avro', logical);
      if (spec.valueSchema) assert.equal(avroType(spec.valueSchema).typeName, 'record');
      assert.ok(spec.partitions >= 1 && Number.isInteger(spec.partitions), logical);
      assert.ok(spec.retentionMs >= 3_600_000, logical);
    }
    assert.equal(TOPIC_SPECS['ingest.logs'].valueSchema, LOG_RECORD_SCHEMA);
    assert.equal(TOPIC_SPECS.logs.valueSchema, LOG_RECORD_SCHEMA);
    assert.equal(TOPIC_SPECS['ingest.metrics'].valueSchema, METRIC_SAMPLE_SCHEMA);
    assert.equal(TOPIC_SPECS.spans.valueSchema, SPAN_SCHEMA);
  });

  it('gives logs topics a LogBatch envelope whose records are exactly the LogRecord schema, under its own subject', () => {
    for (const logical of ['ingest.logs', 'logs'] as const) {
      const envelope = TOPIC_SPECS[logical].envelopeSchema;
      assert.equal(envelope, LOG_BATCH_SCHEMA);
      const items = (LOG_BATCH_SCHEMA.fields[0].type as { items: unknown }).items;
      assert.deepEqual(items, LOG_RECORD_SCHEMA);
    }
    assert.equal(envelopeSubjectName('sextant.logs', LOG_BATCH_SCHEMA), 'sextant.logs-io.sextant.logs.LogBatch');
    // Records inside an envelope round-trip, in order.
    const t = avroType(LOG_BATCH_SCHEMA);
    const batch: LogBatch = { records: [SAMPLE_LOG_RECORD, { ...SAMPLE_LOG_RECORD, body: 'second' }] };
    assert.deepEqual(toPlain(t.fromBuffer(t.toBuffer(batch))), toPlain(batch));
    assert.throws(() => envelopeSubjectName('t', { type: 'record' }), /needs a name/);
  });

  it('gives ingest.metrics a MetricBatch envelope whose records are exactly the MetricSample schema, under its own subject', () => {
    assert.equal(TOPIC_SPECS['ingest.metrics'].envelopeSchema, METRIC_BATCH_SCHEMA);
    assert.deepEqual((METRIC_BATCH_SCHEMA.fields[0].type as { items: unknown }).items, METRIC_SAMPLE_SCHEMA);
    assert.equal(envelopeSubjectName('sextant.ingest.metrics', METRIC_BATCH_SCHEMA), 'sextant.ingest.metrics-io.sextant.metrics.MetricBatch');
    const gauge: MetricSample = {
      tenant: 't1', name: 'node_load1', description: '', unit: '', type: 'GAUGE', temporality: 'UNSPECIFIED', isMonotonic: false,
      attributes: { instance: 'a:9100' }, resource: {}, serviceName: 'node', scopeName: '', scopeVersion: '',
      startTimeUnixNano: 0n, timeUnixNano: 1_700_000_000_000_000_000n, value: 0.5, histogram: null, exponentialHistogram: null,
      summary: null, exemplars: [], flags: 0, source: 'remote-write',
    };
    const histogram: MetricSample = {
      ...gauge, name: 'http_request_duration_seconds', type: 'HISTOGRAM', temporality: 'CUMULATIVE', value: 0,
      histogram: { count: 3n, sum: 1.5, min: null, max: 1, explicitBounds: [0.1, 1], bucketCounts: [1n, 2n, 0n] },
    };
    const t = avroType(METRIC_BATCH_SCHEMA);
    const batch: MetricBatch = { records: [gauge, histogram] };
    assert.deepEqual(toPlain(t.fromBuffer(t.toBuffer(batch))), toPlain(batch));
  });

  it('keys topics as the brief says: logs by stream, spans by trace, metrics by series, alerts by fingerprint', () => {
    assert.equal(TOPIC_SPECS['ingest.logs'].key, 'stream');
    assert.equal(TOPIC_SPECS.logs.key, 'stream');
    assert.equal(TOPIC_SPECS['ingest.spans'].key, 'trace');
    assert.equal(TOPIC_SPECS.spans.key, 'trace');
    assert.equal(TOPIC_SPECS['ingest.metrics'].key, 'series');
    assert.equal(TOPIC_SPECS['metrics.rollups'].key, 'series');
    assert.equal(TOPIC_SPECS.alerts.key, 'fingerprint');
  });
});
