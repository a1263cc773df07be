import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TOPIC_PREFIX, LOGICAL_TOPICS, TOPIC_SPECS, subjectName, topicName } from './topics';
import { LOG_RECORD_SCHEMA, METRIC_SAMPLE_SCHEMA, SPAN_SCHEMA } from './generated';
import { avroType } from './avro-type';

describe('topics', () => {
  it('lists every topic of the brief, each with a spec', () => {
    const brief = ['ingest.logs', 'ingest.metrics', 'ingest.spans', 'ingest.logs.json', 'logs', 'metrics.rollups', 'spans', 'traces', 'servicegraph', 'alerts', 'notifications', 'deadletter', 'otlp_logs', 'otlp_spans', 'otlp_metrics'];
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
