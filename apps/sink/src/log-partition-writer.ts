/**
 * The sink's per-partition side of exactly-once: one write lease per assigned partition of `logs`
 * (ExactlyOnceLogWriter.prepare reads the partition's state fresh on every assignment, never a cached
 * watermark), each consumed sub-batch written through it, and the lease dropped when the partition is revoked.
 * When the partition's last claimed range was never confirmed (a crash or rebalance mid-insert), the writer
 * demands that exact range again: a sub-batch that ends inside it is held (its acknowledgement deferred) until
 * the next one completes the range; a batch that cannot hold it makes the consumer re-read from the committed
 * offset. Rows ClickHouse refuses are dead-lettered, alone with their envelope index, before their range is
 * confirmed, so a crash in between replays them instead of losing them.
 */
import {
  ExactlyOnceLogWriter,
  LeaseRevokedError,
  PartitionClaimConflictError,
  ReplayRequiredError,
  type LogWriteLease,
  type RejectedRow,
} from '@sextant/clickhouse';
import type { LogRecord } from '@sextant/contracts';
import { RefetchRequiredError, type ConsumedBatch, type ConsumedRecord, type DeliveryHandle, type PartitionLifecycle, type TopicPartition } from '@sextant/kafka';

interface PartitionWork {
  lease: LogWriteLease;
  /** Records held until the pending range they start is complete, with their deferred acknowledgements. */
  held: ConsumedRecord<LogRecord>[];
  handles: DeliveryHandle[];
}

/** Records held for an incomplete replay at most per partition; beyond it the partition is re-read instead. */
const MAX_HELD_RECORDS = 200_000;

export class LogPartitionWriter implements PartitionLifecycle {
  private readonly partitions = new Map<string, PartitionWork>();

  constructor(private readonly writer: ExactlyOnceLogWriter) {}

  /** Resolves when the batch's rows are stored (or held for a replay, acknowledged later); throws to retry. */
  async write(batch: ConsumedBatch<LogRecord>): Promise<void> {
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
        onRejected: (rows) => deadLetterRejected(batch, records, rows),
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

/** Dead-letters refused rows alone (with their index); resolves once Kafka holds every dead letter. */
async function deadLetterRejected(batch: ConsumedBatch<LogRecord>, records: readonly ConsumedRecord<LogRecord>[], rows: RejectedRow[]): Promise<void> {
  const byCoordinates = new Map(records.map((r) => [`${r.offset}:${r.index}`, r]));
  await Promise.all(
    rows.map((r) => {
      const record = byCoordinates.get(`${r.source.offset}:${r.source.index}`);
      if (!record) throw new Error(`refused row at offset ${r.source.offset} index ${r.source.index} is not in the batch`);
      return batch.deadLetter(record, `ClickHouse refused the row: ${r.error.message}`, 'rejected', record.value.tenant || undefined);
    }),
  );
}
