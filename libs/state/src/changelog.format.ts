/**
 * The changelog's record format. Key `<input partition>|<salt>|<state key>`: carrying the partition keeps two
 * input partitions that hold the same state key from compacting each other away; the salt is the smallest
 * number that makes the key hash (keyPartition) onto changelog partition <input partition>, so every record
 * of input partition p lands on changelog partition p even where the producer ignores explicit partitions
 * (TransactionalOutput does, today), and stays the same for a key forever, as compaction needs. Each flush
 * also writes a checkpoint record (reserved state key "\u0000checkpoint", value = the input's next offset
 * as decimal text), so a restored state knows which input records it contains. A deleted key is a tombstone.
 */
import type { OutboundMessage } from '@sextant/kafka';
import { keyPartition } from './key-partition';

const CHECKPOINT_KEY = '\u0000checkpoint';
/** Tries per partition of the changelog before giving up: a miss is then about e^-64 likely. */
const SALT_TRIES_PER_PARTITION = 64;

export type ChangelogEntry =
  | { kind: 'checkpoint'; partition: number; nextOffset: string }
  | { kind: 'value'; partition: number; key: string; value: Buffer }
  | { kind: 'tombstone'; partition: number; key: string };

/** State keys may not start with NUL: that prefix is reserved for the store's own records. */
export function checkStateKey(key: string): void {
  if (key.startsWith('\u0000')) throw new Error('state keys must not start with NUL (reserved for the checkpoint record)');
}

/** @param partitions the changelog's partition count. */
export function changelogKey(partition: number, key: string, partitions: number): string {
  if (partition >= partitions) throw new Error(`the changelog has ${partitions} partitions, fewer than input partition ${partition} needs`);
  for (let salt = 0; salt < SALT_TRIES_PER_PARTITION * partitions; salt++) {
    const wire = `${partition}|${salt}|${key}`;
    if (keyPartition(wire, partitions) === partition) return wire;
  }
  throw new Error(`no changelog key for state key "${key}" hashes onto partition ${partition}`);
}

export function valueRecord(partition: number, key: string, value: Buffer, partitions: number): OutboundMessage {
  return { key: changelogKey(partition, key, partitions), value, partition };
}

export function tombstoneRecord(partition: number, key: string, partitions: number): OutboundMessage {
  // A Kafka tombstone: a null value, which compaction turns into the key's deletion.
  return { key: changelogKey(partition, key, partitions), value: null, partition };
}

export function checkpointRecord(partition: number, nextOffset: string, partitions: number): OutboundMessage {
  return { key: changelogKey(partition, CHECKPOINT_KEY, partitions), value: Buffer.from(nextOffset, 'utf8'), partition };
}

/** null for a record this format did not write: a restore skips it. */
export function parseChangelogRecord(key: Buffer | null, value: Buffer | null): ChangelogEntry | null {
  if (key === null) return null;
  const m = /^(\d+)\|(\d+)\|/.exec(key.toString('utf8'));
  if (m === null) return null;
  const partition = Number(m[1]);
  const stateKey = key.toString('utf8').slice(m[0].length);
  if (stateKey === CHECKPOINT_KEY) {
    const nextOffset = value?.toString('utf8') ?? '';
    return /^\d+$/.test(nextOffset) ? { kind: 'checkpoint', partition, nextOffset } : null;
  }
  if (value === null) return { kind: 'tombstone', partition, key: stateKey };
  return { kind: 'value', partition, key: stateKey, value };
}
