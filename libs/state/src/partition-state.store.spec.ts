import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KafkaConnection } from '@sextant/kafka';
import pino from 'pino';
import { Registry } from 'prom-client';
import { parseChangelogRecord } from './changelog.format';
import { keyPartition } from './key-partition';
import { PartitionStateStore } from './partition-state.store';
import { jsonStateCodec } from './state.codec';
import { defaultStateStoreConfig, type StateStoreConfig } from './state-store.config';

/** A connection whose changelog (4 partitions) is empty: restore() then holds an empty partition without a broker. */
const emptyChangelog = { topicOffsets: async () => [0, 1, 2, 3].map((partition) => ({ partition, low: '0', high: '0' })) } as unknown as KafkaConnection;

async function store(overrides: Partial<StateStoreConfig> = {}) {
  const metrics = new Registry();
  const s = new PartitionStateStore<{ n: number }>({ ...defaultStateStoreConfig('counts'), ...overrides }, 'x.counts.changelog', jsonStateCodec(), emptyChangelog, { logger: pino({ level: 'silent' }), metrics });
  await s.restore(3);
  return { s, metrics };
}

async function metricValue(metrics: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = (await metrics.getMetricsAsJSON()).find((x) => x.name === name);
  return m?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

describe('PartitionStateStore', () => {
  it('refuses a partition it does not hold', async () => {
    const { s } = await store();
    assert.throws(() => s.get(4, 'a'), /does not hold partition 4/);
    assert.equal(s.holds(3), true);
  });

  it('flushes what changed since the last flush, tombstones for deletes, then the checkpoint, all to the input partition', async () => {
    const { s } = await store();
    s.set(3, 'a', { n: 1 });
    s.set(3, 'b', { n: 2 });
    s.set(3, 'a', { n: 5 });
    const flushed = s.flush(3, '42');
    assert.ok(flushed.every((m) => keyPartition(String(m.key), 4) === 3), 'every key hashes onto changelog partition 3');
    const first = flushed.map((m) => ({ partition: m.partition, entry: parseChangelogRecord(Buffer.from(String(m.key)), m.value) }));
    assert.deepEqual(first, [
      { partition: 3, entry: { kind: 'value', partition: 3, key: 'a', value: Buffer.from('{"n":5}') } },
      { partition: 3, entry: { kind: 'value', partition: 3, key: 'b', value: Buffer.from('{"n":2}') } },
      { partition: 3, entry: { kind: 'checkpoint', partition: 3, nextOffset: '42' } },
    ]);
    assert.equal(s.checkpoint(3), '42');
    s.delete(3, 'b');
    const second = s.flush(3, '50').map((m) => parseChangelogRecord(Buffer.from(String(m.key)), m.value));
    assert.deepEqual(second, [
      { kind: 'tombstone', partition: 3, key: 'b' },
      { kind: 'checkpoint', partition: 3, nextOffset: '50' },
    ]);
    assert.deepEqual([...s.entries(3)], [['a', { n: 5 }]]);
  });

  it('refuses new keys past maxKeysPerPartition, counted, and keeps updating existing ones', async () => {
    const { s, metrics } = await store({ maxKeysPerPartition: 2 });
    assert.equal(s.set(3, 'a', { n: 1 }), 'stored');
    assert.equal(s.set(3, 'b', { n: 1 }), 'stored');
    assert.equal(s.set(3, 'c', { n: 1 }), 'overflow');
    assert.equal(s.set(3, 'a', { n: 2 }), 'stored');
    assert.equal(s.get(3, 'c'), undefined);
    assert.deepEqual(s.size(3), { keys: 2, bytes: 2 * (1 + '{"n":1}'.length) });
    assert.equal(await metricValue(metrics, 'sextant_state_overflow_total', { store: 'counts', bound: 'keys' }), 1);
    assert.equal(await metricValue(metrics, 'sextant_state_keys', { store: 'counts', partition: '3' }), 2);
  });

  it('refuses writes that grow a partition past maxBytesPerPartition, but not ones that shrink it', async () => {
    const { s } = await store({ maxBytesPerPartition: 20 });
    assert.equal(s.set(3, 'a', { n: 1 }), 'stored'); // 1 + 7 bytes
    assert.equal(s.set(3, 'b', { n: 100 }), 'stored'); // 1 + 9 bytes: 18 in all
    assert.equal(s.set(3, 'c', { n: 1 }), 'overflow');
    assert.equal(s.set(3, 'b', { n: 1000000 }), 'overflow');
    assert.equal(s.set(3, 'b', { n: 2 }), 'stored');
    assert.equal(s.size(3).bytes, 16);
  });

  it('forgets a dropped partition and its gauges', async () => {
    const { s, metrics } = await store();
    s.set(3, 'a', { n: 1 });
    s.drop(3);
    assert.equal(s.holds(3), false);
    assert.equal(await metricValue(metrics, 'sextant_state_keys', { store: 'counts', partition: '3' }), undefined);
  });

  it('rejects keys in the reserved NUL namespace', async () => {
    const { s } = await store();
    assert.throws(() => s.set(3, '\u0000checkpoint', { n: 1 }), /must not start with NUL/);
  });
});
