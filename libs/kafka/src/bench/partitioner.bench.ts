/**
 * Microbenchmark of partition choice per message: KafkaJS's DefaultPartitioner (BigInt-backed Long murmur2,
 * a leader filter per message) against ours (Math.imul murmur2). Keys look like log stream keys. Prints
 * ns per message for each; run with `node libs/kafka/dist/bench/partitioner.bench.js` after a build.
 */
import type { PartitionMetadata } from 'kafkajs';
import { Partitioners } from '../kafkajs';
import { performance } from 'node:perf_hooks';
import { createMurmur2Partitioner } from '../murmur2.partitioner';

const KEYS = 50_000;
const ROUNDS = 5;
const partitionMetadata: PartitionMetadata[] = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
const keys = Array.from({ length: KEYS }, (_, i) => `tenant-${i % 17}|namespace-${i % 23}|pod-${i}-7d9f8c6b5-x2k4p|container-${i % 5}`);

function measure(name: string, partition: ReturnType<ReturnType<typeof createMurmur2Partitioner>>): number {
  let sink = 0;
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (const key of keys) sink += partition({ topic: 'logs', partitionMetadata, message: { key, value: null } });
    best = Math.min(best, ((performance.now() - started) * 1e6) / KEYS);
  }
  console.log(`${name}: ${best.toFixed(0)} ns/message (best of ${ROUNDS} rounds of ${KEYS}; checksum ${sink})`);
  return best;
}

const before = measure('kafkajs DefaultPartitioner', Partitioners.DefaultPartitioner());
const after = measure('murmur2 partitioner (Math.imul)', createMurmur2Partitioner()());
console.log(`speed-up: ${(before / after).toFixed(1)}x`);
