import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StateConfigError, changelogProvision, changelogTopic, defaultStateStoreConfig, validateStateStoreConfig } from './state-store.config';

describe('state store configuration', () => {
  it('accepts the defaults', () => {
    assert.deepEqual(validateStateStoreConfig(defaultStateStoreConfig('window-counts')), defaultStateStoreConfig('window-counts'));
  });

  it('lists every problem at once', () => {
    const bad = { name: 'Bad Name', maxKeysPerPartition: 0, maxBytesPerPartition: 1.5, restoreTimeoutMs: -1 };
    assert.throws(
      () => validateStateStoreConfig(bad),
      (e: unknown) => e instanceof StateConfigError && e.problems.length === 4 && /name must match/.test(e.problems[0]),
    );
  });

  it('names and provisions the changelog: compacted, one partition per input partition', () => {
    assert.equal(changelogTopic('sextant.', 'aggregator', 'windows'), 'sextant.aggregator.windows.changelog');
    assert.deepEqual(changelogProvision('t', 6, 1), { topic: 't', partitions: 6, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } });
    assert.equal(changelogProvision('t', 6, 3).configs['min.insync.replicas'], '2');
  });
});
