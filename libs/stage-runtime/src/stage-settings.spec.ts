import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, consumerSection } from '@sextant/config';
import { defaultConsumerConfig, defaultProducerConfig } from '@sextant/kafka';
import { loadStageSettings } from './stage-settings';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  assert.fail('expected a ConfigError');
}

const parserLike = (env: Record<string, string>) =>
  loadStageSettings('parser', { consumer: consumerSection('parser') }, { consumer: { of: (v) => ({ ...v.consumer, maxInFlightSubBatches: 1, autoCommit: false }) } }, env);

describe('loadStageSettings', () => {
  it('stops at boot on a producer the Kafka lib would refuse, naming the variables', () => {
    const p = problemsOf(() => loadStageSettings('ingest', {}, {}, { SEXTANT_PRODUCER_LINGER_MS: '500', SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '200' }));
    assert.deepEqual(p, ['SEXTANT_PRODUCER_SEND_TIMEOUT_MS must be longer than SEXTANT_PRODUCER_LINGER_MS (a record waits SEXTANT_PRODUCER_LINGER_MS before it is even sent)']);
    const p2 = problemsOf(() => loadStageSettings('ingest', {}, {}, { SEXTANT_PRODUCER_MAX_BUFFERED_RECORDS: '10', SEXTANT_PRODUCER_MAX_BATCH_RECORDS: '100' }));
    assert.match(p2.join(), /SEXTANT_PRODUCER_MAX_BUFFERED_RECORDS must be at least SEXTANT_PRODUCER_MAX_BATCH_RECORDS/);
  });

  it('checks the consumer the stage really runs, with the Kafka lib\'s rules', () => {
    const p = problemsOf(() => parserLike({ SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS: '5000' }));
    assert.deepEqual(p, ['SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS must be at most a third of SEXTANT_CONSUMER_SESSION_TIMEOUT_MS']);
    const p2 = problemsOf(() => parserLike({ SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '40000', SEXTANT_CONSUMER_SESSION_TIMEOUT_MS: '30000', SEXTANT_SHUTDOWN_TIMEOUT_MS: '60000' }));
    assert.match(p2.join(), /SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS must be shorter than SEXTANT_CONSUMER_SESSION_TIMEOUT_MS/);
    // The stage's own override is checked as well: in-flight sub-batches must be 1 without auto-commit.
    const p3 = problemsOf(() => loadStageSettings('parser', { consumer: consumerSection('parser') }, { consumer: { of: (v) => ({ ...v.consumer, autoCommit: false }) } }, {}));
    assert.match(p3.join(), /SEXTANT_CONSUMER_MAX_IN_FLIGHT must be 1 when offsets commit in transactions/);
  });

  it('needs the drain to end before the shutdown deadline', () => {
    const p = problemsOf(() => parserLike({ SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '8000', SEXTANT_SHUTDOWN_TIMEOUT_MS: '5000' }));
    assert.deepEqual(p, ['SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS must be shorter than SEXTANT_SHUTDOWN_TIMEOUT_MS (the drain is one step of the shutdown)']);
  });

  it('names the registry and Kafka variables in their libs\' problems', () => {
    const p = problemsOf(() => loadStageSettings('ingest', {}, {}, { SEXTANT_SCHEMA_REGISTRY_USERNAME: 'u' }));
    assert.deepEqual(p, ['registry SEXTANT_SCHEMA_REGISTRY_USERNAME and SEXTANT_SCHEMA_REGISTRY_PASSWORD go together']);
    const p2 = problemsOf(() => loadStageSettings('ingest', {}, {}, { SEXTANT_KAFKA_BROKERS: 'kafka' }));
    assert.match(p2.join(), /broker "kafka" is not host:port/);
  });

  it('has one set of defaults: the variables default to what the Kafka lib defaults to', () => {
    const s = parserLike({});
    const consumerDefaults = defaultConsumerConfig(s.consumer.groupId) as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(s.consumer)) assert.deepEqual(value, consumerDefaults[field], `consumer ${field}`);
    const producerDefaults = defaultProducerConfig() as unknown as Record<string, unknown>;
    const shared = Object.entries(s.producer).filter(([field]) => field in producerDefaults);
    assert.ok(shared.length >= 7);
    for (const [field, value] of shared) assert.deepEqual(value, producerDefaults[field], `producer ${field}`);
  });
});
