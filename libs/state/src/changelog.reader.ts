/**
 * Reads a changelog topic (or some of its partitions) from the beginning up to the end offsets captured when
 * the read starts, committed data only (read_committed: aborted transactions of a crashed owner are never
 * seen). The captured end is each partition's last stable offset: below it every transaction is decided, so
 * the read never waits on a transaction left open. Records appended after the start are not read: they
 * belong to the owner that wrote them, and a read that chased the end could never finish while it writes.
 * A partition counts as read once the consumer has passed its captured end, control records included (the
 * last offset of a transactional partition is a commit marker, which no handler sees), hence the
 * END_BATCH_PROCESS event rather than the messages themselves.
 *
 * KafkaJS consumers always join a group, so each read uses a throwaway group that never commits, and pauses
 * the partitions it was not asked for.
 */
import { randomBytes } from 'node:crypto';
import type { KafkaConnection } from '@sextant/kafka';

export interface ChangelogRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  /** null for a tombstone. */
  value: Buffer | null;
}

/**
 * Calls onRecord for every committed record below the captured end of the given partitions (all when
 * `partitions` is null); resolves with the number of records read, rejects after timeoutMs.
 */
export async function readChangelog(
  conn: KafkaConnection,
  topic: string,
  partitions: number[] | null,
  timeoutMs: number,
  onRecord: (r: ChangelogRecord) => void,
): Promise<number> {
  const lastOffsets = new Map<number, bigint>();
  const offsets = await conn.topicOffsets(topic);
  const others = offsets.map((o) => o.partition).filter((p) => partitions !== null && !partitions.includes(p));
  for (const o of offsets) {
    if (partitions !== null && !partitions.includes(o.partition)) continue;
    if (BigInt(o.high) > BigInt(o.low)) lastOffsets.set(o.partition, BigInt(o.high) - 1n);
  }
  if (lastOffsets.size === 0) return 0;
  const pending = new Set(lastOffsets.keys());
  let read = 0;
  const consumer = conn.client.consumer({ groupId: `${topic}.restore.${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let timer: NodeJS.Timeout | undefined;
  try {
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`restore of ${topic} did not reach the end of partitions ${[...pending].join(',')} within ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const last = lastOffsets.get(e.payload.partition);
        if (e.payload.topic !== topic || last === undefined || BigInt(e.payload.lastOffset) < last) return;
        pending.delete(e.payload.partition);
        if (pending.size === 0) resolve();
      });
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      if (others.length > 0) consumer.on(consumer.events.GROUP_JOIN, () => consumer.pause([{ topic, partitions: others }]));
    });
    done.catch(() => undefined); // awaited below; this keeps a failure during connect from counting as unhandled
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = lastOffsets.get(batch.partition);
        if (last === undefined) return;
        for (const m of batch.messages) {
          if (BigInt(m.offset) > last) break;
          read++;
          onRecord({ partition: batch.partition, offset: m.offset, key: m.key ?? null, value: m.value });
        }
      },
    });
    await done;
    return read;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
