/**
 * Follows a topic from its beginning for the whole life of a test, committed data only (read_committed: what a
 * downstream consumer would see, never a transaction a killed replica left open or aborted), handing each
 * message to a callback. caughtUp() waits until everything below the topic's current last stable offset has
 * been handed over, so a caller can take "what is durable now" as an exact snapshot. The position counts
 * control records too (a transactional partition ends in a commit marker no callback sees), hence the
 * END_BATCH_PROCESS event rather than the messages. Its group is throwaway and never commits. A batch whose
 * callback failed half-way is fetched again; the messages already handed over are not handed over twice, so a
 * reader's retry never looks like a stage's duplicate.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaConnection } from '@sextant/kafka';

export interface TopicMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

export class CommittedTopicReader {
  /** Highest offset handed over (or passed) per partition. */
  private readonly positions = new Map<number, bigint>();
  /** Highest offset given to the callback per partition. */
  private readonly handed = new Map<number, bigint>();
  private readonly consumer;
  private failure: Error | null = null;

  constructor(
    private readonly conn: KafkaConnection,
    readonly topic: string,
    private readonly onMessage: (m: TopicMessage) => Promise<void> | void,
  ) {
    this.consumer = conn.client.consumer({ groupId: `${topic}.compliance-reader.${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.topic !== this.topic) return;
      const last = BigInt(e.payload.lastOffset);
      if (last > (this.positions.get(e.payload.partition) ?? -1n)) this.positions.set(e.payload.partition, last);
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.failure = e.payload.error;
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset <= (this.handed.get(batch.partition) ?? -1n)) continue;
          await this.onMessage({ partition: batch.partition, offset: m.offset, key: m.key ?? null, value: m.value });
          this.handed.set(batch.partition, offset);
        }
      },
    });
  }

  /** Resolves once every committed message below the current last stable offset was handed over. */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    const ends = await this.conn.topicOffsets(this.topic);
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const behind = ends.filter((o) => BigInt(o.high) > BigInt(o.low) && (this.positions.get(o.partition) ?? -1n) < BigInt(o.high) - 1n);
      if (behind.length === 0) return;
      if (Date.now() > until) throw new Error(`reader of ${this.topic} behind on partitions ${behind.map((b) => b.partition).join(',')} after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  async close(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }
}
