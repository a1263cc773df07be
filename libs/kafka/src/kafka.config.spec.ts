import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultConsumerConfig,
  defaultProducerConfig,
  validateConsumerConfig,
  validateKafkaConfig,
  validateProducerConfig,
  validateRegistryConfig,
  DEFAULT_MAX_RETRY_BACKOFF_MS,
} from './kafka.config';
import { KafkaConfigError } from './kafka.errors';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof KafkaConfigError) return e.problems;
    throw e;
  }
  return [];
}

const kafka = { brokers: ['127.0.0.1:9092'], clientId: 'x', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 };

describe('kafka config validation', () => {
  it('accepts the defaults', () => {
    assert.deepEqual(problemsOf(() => validateKafkaConfig(kafka)), []);
    assert.deepEqual(problemsOf(() => validateProducerConfig(defaultProducerConfig())), []);
    assert.deepEqual(problemsOf(() => validateConsumerConfig(defaultConsumerConfig('g'))), []);
    assert.deepEqual(problemsOf(() => validateRegistryConfig({ url: 'http://127.0.0.1:8081/apis/ccompat/v7', username: '', password: '' })), []);
  });

  it('lists every broker and credential problem', () => {
    const p = problemsOf(() => validateKafkaConfig({ ...kafka, brokers: ['nohost', 'h:1'], clientId: ' ', sasl: { mechanism: 'plain', username: 'u', password: '' } }));
    assert.equal(p.length, 3);
    assert.match(p.join('\n'), /nohost/);
    assert.deepEqual(problemsOf(() => validateKafkaConfig({ ...kafka, brokers: [] })), ['brokers must list at least one host:port']);
  });

  it('requires a producer buffer to hold a full batch and the send timeout to outlast the linger', () => {
    const p = problemsOf(() => validateProducerConfig({ ...defaultProducerConfig(), maxBufferedRecords: 10, maxBatchRecords: 20, lingerMs: 50, sendTimeoutMs: 50 }));
    assert.equal(p.length, 2);
    assert.match(p[0], /maxBufferedRecords/);
    assert.match(p[1], /sendTimeoutMs/);
  });

  it('requires the drain to end before the session times out, and heartbeats within a third of it', () => {
    const p = problemsOf(() => validateConsumerConfig({ ...defaultConsumerConfig('g'), sessionTimeoutMs: 9000, heartbeatIntervalMs: 4000, drainTimeoutMs: 9000 }));
    assert.equal(p.length, 2);
    assert.match(p.join('\n'), /heartbeatIntervalMs/);
    assert.match(p.join('\n'), /drainTimeoutMs/);
  });

  it('fills the optional consumer fields with their defaults', () => {
    const { maxRetryBackoffMs: _a, commitIntervalMs: _b, maxWaitTimeMs: _c, ...required } = defaultConsumerConfig('g');
    assert.equal(validateConsumerConfig(required).maxRetryBackoffMs, DEFAULT_MAX_RETRY_BACKOFF_MS);
    assert.throws(() => validateConsumerConfig({ ...required, maxRetryBackoffMs: 100, retryBackoffMs: 200 }), /maxRetryBackoffMs must be at least retryBackoffMs/);
  });

  it('rejects a registry URL that is not http and half-given credentials', () => {
    const p = problemsOf(() => validateRegistryConfig({ url: 'ftp://x', username: 'u', password: '' }));
    assert.equal(p.length, 2);
  });

  it('defaults to a 10 s session with 1 s heartbeats (fast recovery after a kill) and a drain shorter than it', () => {
    const d = validateConsumerConfig(defaultConsumerConfig('g'));
    assert.deepEqual([d.sessionTimeoutMs, d.heartbeatIntervalMs, d.drainTimeoutMs], [10_000, 1_000, 8_000]);
    assert.ok(d.maxDeferredRecords > 0 && d.stallTimeoutMs > d.maxRetryBackoffMs);
    const p = problemsOf(() => validateConsumerConfig({ ...defaultConsumerConfig('g'), maxDeferredRecords: 0, stallTimeoutMs: 1000 }));
    assert.equal(p.length, 2);
    assert.match(p.join('\n'), /maxDeferredRecords/);
    assert.match(p.join('\n'), /stallTimeoutMs must be longer than maxRetryBackoffMs/);
  });
});
