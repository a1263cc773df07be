import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { PartitionMetadata } from 'kafkajs';
import { Partitioners } from './kafkajs';
import { createMurmur2Partitioner, murmur2, partitionForKey } from './murmur2.partitioner';

function metadata(n: number, leaderless: number[] = []): PartitionMetadata[] {
  return Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
}

function randomKey(i: number): string | Buffer {
  const len = Math.floor(Math.random() * 70);
  if (i % 3 === 0) return randomBytes(len);
  // Strings with multi-byte UTF-8 characters, so lengths in bytes and in characters differ.
  return Array.from({ length: len }, () => String.fromCodePoint(Math.random() < 0.8 ? 32 + Math.floor(Math.random() * 95) : 0x80 + Math.floor(Math.random() * 0x2000))).join('');
}

describe('murmur2 partitioner', () => {
  it('matches the Java client on known vectors', () => {
    // Values of org.apache.kafka.common.utils.Utils.murmur2 for these UTF-8 keys.
    assert.equal(murmur2(''), 275646681);
    assert.equal(murmur2('21'), -973932308);
    assert.equal(murmur2('foobar'), -790332482);
    assert.equal(murmur2('a-little-bit-long-string'), -985981536);
  });

  it('chooses the same partition as KafkaJS DefaultPartitioner for 20000 random keys and partition counts', () => {
    const theirs = Partitioners.DefaultPartitioner();
    const ours = createMurmur2Partitioner()();
    for (let i = 0; i < 20_000; i++) {
      const key = randomKey(i);
      const n = 1 + Math.floor(Math.random() * 200);
      const partitionMetadata = metadata(n);
      const expected = theirs({ topic: 't', partitionMetadata, message: { key, value: null } });
      assert.equal(ours({ topic: 't', partitionMetadata, message: { key, value: null } }), expected, `key ${JSON.stringify(key)} over ${n} partitions`);
      assert.equal(partitionForKey(key, n), expected);
    }
  });

  it('hashes keys longer than its scratch buffer like short ones', () => {
    const theirs = Partitioners.DefaultPartitioner();
    for (const len of [4090, 4092, 4093, 4096, 5000]) {
      for (const key of ['x'.repeat(len), `${'y'.repeat(len - 2)}é`, randomBytes(len)]) {
        const expected = theirs({ topic: 't', partitionMetadata: metadata(12), message: { key, value: null } });
        assert.equal(partitionForKey(key, 12), expected, `key of ${len}`);
      }
    }
  });

  it('keeps an explicit partition and spreads keyless records over partitions that have a leader', () => {
    const ours = createMurmur2Partitioner()();
    assert.equal(ours({ topic: 't', partitionMetadata: metadata(4), message: { key: 'k', value: null, partition: 3 } }), 3);
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add(ours({ topic: 't', partitionMetadata: metadata(4, [1]), message: { key: null, value: null } }));
    assert.deepEqual([...seen].sort(), [0, 2, 3]);
  });
});
