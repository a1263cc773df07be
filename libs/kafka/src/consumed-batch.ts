/**
 * The contract between a batch consumer and its handler: what a handler receives (ConsumedBatch), how it says
 * the batch is done (resolve now, or defer() and ack() later), how it learns that its work was abandoned
 * (signal), and the partition lifecycle hooks of stages that keep per-partition state.
 */
import type { ConsumedRecord } from './record.decoder';

/**
 * Deferred acknowledgement of one batch (Vector's finalizers, Jaeger's offset manager): the batch's records
 * count as done, and their offsets may be committed, only once ack() is called, from anywhere and at any time.
 */
export interface DeliveryHandle {
  /** The batch's outputs are durable. Idempotent; ignored (and counted) once the work was abandoned. */
  ack(): void;
  /** The batch's signal: once aborted, nothing may be written for these records any more; ack() is ignored. */
  readonly signal: AbortSignal;
}

export interface ConsumedBatch<T> {
  topic: string;
  partition: number;
  /**
   * Decoded records in (offset, index) order: batch envelopes are flattened, one record per element
   * (undecodable messages were already dead-lettered whole and are not here). Empty only for a consumer with
   * autoCommit false whose sub-batch was all dead-lettered: its transaction still has to move the offset.
   */
  records: ConsumedRecord<T>[];
  /**
   * Dead-letters one record of this batch (invalid content); a record out of an envelope goes alone, with its
   * index. The batch counts as done only after this resolves, even when the handler does not await it.
   */
  deadLetter(record: ConsumedRecord<T>, reason: string, errorKind: string, tenant?: string): Promise<void>;
  /**
   * Defers the acknowledgement: once the handler resolved, the records count as done only when the returned
   * handle's ack() is called. For sinks that accumulate across batches and for stateful stages. Calling it
   * again returns the same handle; a handler that throws after defer() is retried and its handle is void.
   * Unacknowledged records are bounded per partition (maxDeferredRecords): beyond it fetching pauses.
   */
  defer(): DeliveryHandle;
  /**
   * Aborted when this batch's work is abandoned: drain deadline at stop, partition revoked, batch gone stale
   * (rebalance, seek, re-read). Whoever owns the partition next redoes the records: write nothing after it.
   */
  signal: AbortSignal;
  /** Consumer group reading this batch (for offsets committed inside a Kafka transaction). */
  groupId: string;
  /** Offset of the next message after this batch: what a transaction commits when the batch is done. */
  nextOffset: string;
  /**
   * Where this batch's reading started: the offset the fetch asked for (the group's committed offset, after an
   * assignment) for the first batch of a fetch, the previous batch's nextOffset for the others. Offsets from
   * here up to the first record hold nothing for this consumer (transaction markers, aborted or compacted
   * messages), so a writer that keeps its own position may skip them without calling it a gap.
   */
  fetchedFrom: string;
}

/**
 * Resolve when every output of the batch is acknowledged (or after defer(), when the handle will be acked);
 * throw to have the batch retried; throw RefetchRequiredError to have the partition re-read from the group's
 * committed offset instead (the outcome of a transaction is unknown).
 */
export type BatchHandler<T> = (batch: ConsumedBatch<T>) => Promise<void>;

export interface TopicPartition {
  topic: string;
  partition: number;
}

/**
 * Partition lifecycle of a stage with per-partition state. onPartitionsAssigned runs before the first batch
 * of those partitions reaches the handler (restore state; after a rejection it runs again before the next
 * batch); onPartitionsRevoked runs once their work was abandoned (drop state; do not write for them any
 * more), also before a re-read (RefetchRequiredError), after which onPartitionsAssigned runs again.
 */
export interface PartitionLifecycle {
  onPartitionsAssigned?(partitions: TopicPartition[]): Promise<void> | void;
  onPartitionsRevoked?(partitions: TopicPartition[]): Promise<void> | void;
}
