/**
 * The sink's per-partition side of exactly-once, for every topic it stores (logs, metric samples, rollups):
 * one write lease per assigned partition (ExactlyOnceWriter.prepare reads the partition's state fresh on
 * every assignment, never a cached watermark), each consumed sub-batch written through it, and the lease dropped when the partition is revoked.
 * When the partition's last claimed range was never confirmed (a crash or rebalance mid-insert), the writer
 * demands that exact range again: a sub-batch that ends inside it is held (its acknowledgement deferred) until
 * the next one completes the range; a batch that cannot hold it makes the consumer re-read from the committed
 * offset. Rows ClickHouse refuses are dead-lettered, alone with their envelope index, before their range is
 * confirmed, so a crash in between replays them instead of losing them.
 */
import {
  LeaseRevokedError,
  PartitionClaimConflictError,
  ReplayRequiredError,
  type ExactlyOnceWriter,
  type OrderedSource,
  type PartitionWriteLease,
  type RejectedRow,
} from '@sextant/clickhouse';
import { RefetchRequiredError, type ConsumedBatch, type ConsumedRecord, type DeliveryHandle, type PartitionLifecycle, type TopicPartition } from '@sextant/kafka';

interface PartitionWork<R> {
  lease: PartitionWriteLease;
  /** Records held until the pending range they start is complete, with their deferred acknowledgements. */
  held: ConsumedRecord<R>[];
  handles: DeliveryHandle[];
}

/** Records held for an incomplete replay at most per partition; beyond it the partition is re-read instead. */
const MAX_HELD_RECORDS = 200_000;

/** A stored record's tenant, for its dead letter. */
export type TenantOf<R> = (record: R) => string;

export class PartitionWriter<R> implements PartitionLifecycle {
  private readonly partitions = new Map<string, PartitionWork<R>>();

  constructor(
    private readonly writer: ExactlyOnceWriter<R>,
    private readonly tenantOf: TenantOf<R>,
  ) {}

  /** Resolves when the batch's rows are stored (or held for a replay, acknowledged later); throws to retry. */
  async write(batch: ConsumedBatch<R>): Promise<void> {
    if (batch.records.length === 0) return;
    const id = partitionId(batch);
    let work = this.partitions.get(id);
    if (!work || !work.lease.held) {
      work = { lease: await this.writer.prepare(batch.topic, batch.partition, { signal: batch.signal }), held: [], handles: [] };
      this.partitions.set(id, work);
    }
    const records = work.held.length > 0 ? [...work.held, ...batch.records] : batch.records;
    try {
      await this.writer.write(work.lease, records, {
        signal: batch.signal,
        // Where the consumer started reading (after an assignment: the committed offset): holes between it and
        // the first record are transaction markers, not a gap. Held records began before this batch.
        ...(work.held.length === 0 ? { fetchedFrom: batch.fetchedFrom } : {}),
        onRejected: (rows) => deadLetterRejected(batch, records, rows, this.tenantOf),
      });
    } catch (err) {
      if (err instanceof ReplayRequiredError && 'cutAfter' in err.need && records.length < MAX_HELD_RECORDS) {
        work.held = records;
        work.handles.push(batch.defer());
        return;
      }
      if (err instanceof ReplayRequiredError) {
        this.drop(id);
        throw new RefetchRequiredError(err.message, { cause: err });
      }
      // Another writer claimed the partition, or it was revoked: the retry prepares a fresh lease. Any other
      // error (ClickHouse unavailable) keeps the lease: the consumer retries the same records with backoff.
      if (err instanceof PartitionClaimConflictError || err instanceof LeaseRevokedError) this.drop(id);
      throw err;
    }
    for (const h of work.handles) h.ack();
    work.held = [];
    work.handles = [];
  }

  onPartitionsRevoked(partitions: TopicPartition[]): void {
    for (const p of partitions) this.drop(partitionId(p));
  }

  private drop(id: string): void {
    const work = this.partitions.get(id);
    if (!work) return;
    this.writer.release(work.lease);
    this.partitions.delete(id);
  }
}

function partitionId(p: { topic: string; partition: number }): string {
  return `${p.topic}\u0000${p.partition}`;
}

/**
 * Dead-letters the records of refused rows, each alone (with its index) and once, whatever number of its rows
 * (a metric sample fills several tables) were refused; resolves once Kafka holds every dead letter.
 */
async function deadLetterRejected<R>(batch: ConsumedBatch<R>, records: readonly ConsumedRecord<R>[], rows: RejectedRow<OrderedSource<R>>[], tenantOf: TenantOf<R>): Promise<void> {
  const byCoordinates = new Map(records.map((r) => [`${r.offset}:${r.index}`, r]));
  const reasons = new Map<ConsumedRecord<R>, string[]>();
  for (const r of rows) {
    const record = byCoordinates.get(`${r.source.offset}:${r.source.index}`);
    if (!record) throw new Error(`refused row at offset ${r.source.offset} index ${r.source.index} is not in the batch`);
    const why = reasons.get(record);
    if (why) why.push(r.error.message);
    else reasons.set(record, [r.error.message]);
  }
  await Promise.all([...reasons].map(([record, why]) => batch.deadLetter(record, `ClickHouse refused the row: ${[...new Set(why)].join('; ')}`, 'rejected', tenantOf(record.value) || undefined)));
}
