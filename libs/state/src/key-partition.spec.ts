import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyPartition, murmur2 } from './key-partition';

describe('keyPartition', () => {
  // Values of the Java client's murmur2 (as KafkaJS's default partitioner computes them), one per tail length.
  const vectors: [string, number, number][] = [
    ['', 275646681, 3],
    ['a', -1563381124, 4],
    ['ab', 316155434, 2],
    ['abc', 479470107, 3],
    ['abcd', -1323649548, 2],
    ['abcde', 461995741, 1],
    ['0|0|key-1', 1779864482, 2],
    ['21|3|svc|a', 1784086885, 1],
  ];
  it('matches Kafka default partitioner', () => {
    for (const [key, hash, partitionOf6] of vectors) {
      assert.equal(murmur2(Buffer.from(key)), hash, key);
      assert.equal(keyPartition(key, 6), partitionOf6, key);
    }
  });
});
