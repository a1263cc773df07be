/**
 * The partition a keyed record lands on when no partition is given: Kafka's default partitioner, murmur2
 * of the key bytes (the Java client's variant: seed 0x9747b28c, sign bit cleared) modulo the partition count,
 * which the Kafka lib's producers follow too. The changelog uses it to choose keys that land on the input
 * partition's number (see changelog.format.ts) while TransactionalOutput ignores explicit partitions.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

export function murmur2(data: Buffer): number {
  const len = data.length;
  let h = SEED ^ len;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = len & 3;
  if (tail === 3) h ^= data[blocks + 2] << 16;
  if (tail >= 2) h ^= data[blocks + 1] << 8;
  if (tail >= 1) h = Math.imul(h ^ data[blocks], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

export function keyPartition(key: string | Buffer, partitions: number): number {
  return (murmur2(typeof key === 'string' ? Buffer.from(key, 'utf8') : key) & 0x7fffffff) % partitions;
}
