/**
 * Key → partition exactly as the Java client's (and KafkaJS's) default partitioner does it: murmur2 of the
 * key bytes (seed 0x9747b28c), made positive by masking the sign bit, modulo the partition count. Records
 * of one key must land on the same partition whichever client produced them, so this is bit-for-bit the
 * same function; it runs on 32-bit Math.imul instead of KafkaJS's BigInt-backed Long, which allocates
 * several objects per 4 key bytes. Keyless records go round-robin over partitions that have a leader.
 */
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Keys are hashed from this scratch buffer when they fit, so a string key costs no allocation. */
const scratch = Buffer.allocUnsafe(4096);

/** Java-compatible murmur2 (signed 32-bit result) of a key's bytes; a string key is hashed as UTF-8. */
export function murmur2(key: string | Buffer): number {
  if (Buffer.isBuffer(key)) return murmur2Bytes(key, key.length);
  const n = scratch.write(key, 0);
  // A write that (nearly) fills the scratch buffer may have been cut short of a whole character.
  return n < scratch.length - 3 ? murmur2Bytes(scratch, n) : murmur2Bytes(Buffer.from(key), Buffer.byteLength(key));
}

function murmur2Bytes(data: Buffer, length: number): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2] << 16;
    if (tail >= 2) h ^= data[whole + 1] << 8;
    h ^= data[whole];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of a keyed record among `partitionCount` partitions. */
export function partitionForKey(key: string | Buffer, partitionCount: number): number {
  return (murmur2(key) & 0x7fffffff) % partitionCount;
}

/**
 * KafkaJS `createPartitioner` factory with the same choices as its DefaultPartitioner: an explicit
 * partition wins, a key hashes, no key goes round-robin over partitions that have a leader. KafkaJS calls it
 * once per message; the leader filter runs only for keyless messages.
 */
export function createMurmur2Partitioner(): ICustomPartitioner {
  return () => {
    const counters = new Map<string, number>();
    return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      const key = message.key;
      if (key !== null && key !== undefined) return partitionForKey(typeof key === 'string' || Buffer.isBuffer(key) ? key : String(key), partitionMetadata.length);
      const next = (counters.get(topic) ?? Math.floor(Math.random() * 0x7fffffff)) + 1;
      counters.set(topic, next);
      const available = partitionMetadata.filter((p) => p.leader >= 0);
      if (available.length > 0) return available[(next & 0x7fffffff) % available.length].partitionId;
      return (next & 0x7fffffff) % partitionMetadata.length;
    };
  };
}
