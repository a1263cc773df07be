/**
 * The exactly-once step of a stateful stage: per sub-batch, prepare() makes every store hold the input
 * partition's current state and says which records it does not contain yet; the stage applies those; commit()
 * then writes the stage's outputs, every store's changelog records and the input offset in ONE
 * TransactionalOutput transaction. After a crash, a rebalance or a failed transaction, the next owner
 * restores state that matches the committed offset exactly, so each input record counts once.
 *
 * Until the consumer reports assignments and revocations, prepare() works them out: a partition not held is
 * restored on its first sub-batch; a held one whose sub-batch starts past the checkpoint may have been
 * processed by another member meanwhile, which the group's committed offset tells (a gap can also be
 * transaction markers of the input); a sub-batch starting before the checkpoint is a redelivery, and the
 * records the state already contains are skipped. Use with maxInFlightSubBatches 1 and autoCommit false.
 */
import type { ConsumedBatch, ConsumedRecord, KafkaConnection, OutboundMessage, TransactionalOutput } from '@sextant/kafka';
import type { Logger } from 'pino';
import type { CheckpointedStore, RestoreResult } from './partition-state.store';

export interface StageOutput {
  topic: string;
  messages: OutboundMessage[];
}

/**
 * How long a partition whose restored checkpoint trails the group's committed offset is retried before the
 * gap is taken as records that changed no state (dead-lettered ones, whose offsets the consumer commits
 * outside any transaction): past TransactionalOutput's 60 s transaction timeout, by when any transaction
 * that hid later commits from the restore was aborted. Default 70000 ms.
 */
export const DEFAULT_SETTLE_TIMEOUT_MS = 70_000;

export interface StatefulOutputOptions {
  /** See DEFAULT_SETTLE_TIMEOUT_MS, ms. */
  settleTimeoutMs?: number;
  /** After each partition restore of each store (for logs and tests; metrics are counted by the store). */
  restored?(store: string, result: RestoreResult): void;
}

export class StatefulOutput {
  private readonly logger: Logger;
  private readonly settleTimeoutMs: number;
  /** Since when each partition's restored checkpoint has trailed the group's committed offset, ms epoch. */
  private readonly trailingSince = new Map<number, number>();

  constructor(
    private readonly output: TransactionalOutput,
    private readonly stores: CheckpointedStore[],
    private readonly conn: KafkaConnection,
    logger: Logger,
    private readonly options: StatefulOutputOptions = {},
  ) {
    this.settleTimeoutMs = options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
    if (!Number.isFinite(this.settleTimeoutMs) || this.settleTimeoutMs < 0) throw new Error(`settleTimeoutMs must be zero or more (got ${this.settleTimeoutMs})`);
    if (stores.length === 0) throw new Error('a StatefulOutput needs at least one store');
    if (new Set(stores.map((s) => s.changelog)).size !== stores.length) throw new Error('two stores share a changelog topic');
    this.logger = logger.child({ component: 'stateful-output' });
  }

  /** Restores the partition in every store (assignment). Exposed for a consumer that reports assignments. */
  async assigned(partition: number): Promise<void> {
    for (const s of this.stores) await this.restore(s, partition);
  }

  /** Forgets the partition in every store (revocation). */
  revoked(partition: number): void {
    for (const s of this.stores) s.drop(partition);
  }

  /** Makes the stores current for the batch's partition; returns the batch's records the state does not contain yet. */
  async prepare<T>(batch: ConsumedBatch<T>): Promise<ConsumedRecord<T>[]> {
    const p = batch.partition;
    for (const s of this.stores) if (!s.holds(p)) await this.restore(s, p);
    let checkpoint = this.checkpoint(p);
    if (checkpoint === undefined) {
      // Restored at different moments (one restore failed and was retried): restore them together.
      this.revoked(p);
      await this.assigned(p);
      checkpoint = this.checkpoint(p);
      if (checkpoint === undefined) throw new Error(`stores disagree on the checkpoint of partition ${p} after restoring them together`);
    }
    const first = batch.records[0]?.offset;
    if (first !== undefined && checkpoint !== null && BigInt(first) > BigInt(checkpoint)) checkpoint = await this.catchUp(batch.groupId, batch.topic, p, checkpoint);
    if (checkpoint === null) return batch.records;
    const from = BigInt(checkpoint);
    return batch.records.filter((r) => BigInt(r.offset) >= from);
  }

  /**
   * One transaction: the outputs, every store's changelog records for the partition, and the batch's next
   * offset. On failure the partition is dropped from every store (the next prepare() restores it) and the
   * error is rethrown, so the consumer retries the sub-batch.
   */
  async commit<T>(batch: ConsumedBatch<T>, outputs: StageOutput[]): Promise<void> {
    const p = batch.partition;
    const changelogs = this.stores.map((s) => ({ topic: s.changelog, messages: s.flush(p, batch.nextOffset) }));
    try {
      await this.output.commit([...outputs, ...changelogs], { groupId: batch.groupId, topic: batch.topic, partition: p, offset: batch.nextOffset });
    } catch (err) {
      this.revoked(p);
      throw err;
    }
  }

  /**
   * A sub-batch starts past the checkpoint: transaction markers or dead-lettered records of the input, or
   * another member processed the partition meanwhile, which the group's committed offset tells.
   */
  private async catchUp(groupId: string, topic: string, p: number, checkpoint: string): Promise<string | null> {
    const committed = await this.committedOffset(groupId, topic, p);
    if (committed === null || BigInt(committed) <= BigInt(checkpoint)) return checkpoint;
    this.logger.info({ partition: p, checkpoint, committed }, 'the partition moved on elsewhere; restoring its state');
    this.revoked(p);
    await this.assigned(p);
    const restored = this.checkpoint(p) ?? null;
    if (restored !== null && BigInt(restored) >= BigInt(committed)) {
      this.trailingSince.delete(p);
      return restored;
    }
    const since = this.trailingSince.get(p) ?? Date.now();
    this.trailingSince.set(p, since);
    if (Date.now() - since < this.settleTimeoutMs) {
      // A transaction left open on the changelog hides what was committed after it: retry until it is aborted.
      this.revoked(p);
      throw new Error(`state of partition ${p} covers offset ${restored} but the group committed ${committed}; retrying`);
    }
    this.trailingSince.delete(p);
    this.logger.warn({ partition: p, checkpoint: restored, committed }, 'checkpoint still trails the committed offset after the settle timeout: the records between changed no state');
    return restored;
  }

  private async restore(store: CheckpointedStore, partition: number): Promise<void> {
    const result = await store.restore(partition);
    this.options.restored?.(store.name, result);
  }

  /** The stores' common checkpoint; undefined when they disagree. */
  private checkpoint(partition: number): string | null | undefined {
    const all = new Set(this.stores.map((s) => s.checkpoint(partition)));
    return all.size === 1 ? [...all][0] : undefined;
  }

  private async committedOffset(groupId: string, topic: string, partition: number): Promise<string | null> {
    const offsets = await this.conn.groupOffsets(groupId, topic);
    const o = offsets.find((x) => x.partition === partition)?.offset;
    return o === undefined || o === '-1' ? null : o;
  }
}
