/**
 * A writer's hold on one partition between `prepare()` and `release()`: the state it last read or wrote, the
 * plan it implies for the next batch, and a claim identity of its own, so that a stale holder (a zombie batch
 * of an earlier assignment, in this process or another) can never pass a claim check meant for the current
 * one. Also the record-shaping helpers the writer needs: whole messages in (offset, index) order, sliced by
 * offset ranges.
 */
import type { LogRecord } from '@sextant/contracts';
import type { LogRowSource } from '../tables/log-insert-body';
import type { RejectedRow } from './range-inserter';
import type { PartitionKey, PartitionState } from './sink-state.store';

/** A consumed record, as the Kafka library hands it over (`ConsumedRecord<R>` fits). */
export interface SinkRecord<R> {
  /** Message offset as a decimal string. */
  offset: string;
  /** Position in the message's envelope, -1 for a message of one record. */
  index: number;
  value: R;
}

/** A consumed log record. */
export type SinkLogRecord = SinkRecord<LogRecord>;

/** What the next batch of a partition must be. */
export type PartitionPlan =
  /** Anything: records at or below `after` (when set) are skipped as stored. */
  | { kind: 'free'; after: string | null }
  /**
   * A range was claimed but never confirmed: the next batch must start at or before `firstOffset` and hold
   * every message through `lastOffset` (it may hold more, which is then written as a new range).
   */
  | { kind: 'replay'; firstOffset: string; lastOffset: string; rows: number };

export interface WrittenRange {
  kind: 'replay' | 'insert';
  firstOffset: string;
  lastOffset: string;
  rows: number;
  token: string;
  version: number;
}

export interface WriteResult<S> {
  /** Rows at offsets already stored, dropped. */
  skippedRows: number;
  /** Rows of a pending range, inserted again under its token (ClickHouse keeps one copy). */
  replayedRows: number;
  insertedRows: number;
  /** Rows ClickHouse refused, as handed to `onRejected`. */
  rejected: Array<RejectedRow<S>>;
  /** Offsets skipped without being read, when the batch began past the stored range. */
  gap: { from: string; to: string } | null;
  /** The partition started over at offset 0 (topic recreated). */
  reset: boolean;
  ranges: WrittenRange[];
  /** Rows stored under a replacement timestamp (logs only; 0 for writers that keep timestamps as they are). */
  timestampsReplaced: number;
}

/** What a log write did. */
export type LogWriteResult = WriteResult<LogRowSource>;

/**
 * The batch does not hold what the partition's pending range requires; `plan` says what would. Either the
 * partition must be re-read from `refetchFrom` (at or before it, e.g. the committed offset), or the batch must
 * end right after `cutAfter`.
 */
export class ReplayRequiredError extends Error {
  override readonly name = 'ReplayRequiredError';
  constructor(
    readonly key: PartitionKey,
    readonly plan: PartitionPlan,
    readonly need: { refetchFrom: string } | { cutAfter: string },
  ) {
    const detail = 'refetchFrom' in need ? `re-read from offset ${need.refetchFrom}` : `cut the batch after offset ${need.cutAfter}`;
    super(`${key.table} ${key.topic}[${key.partition}]: the batch must replay the pending range ${JSON.stringify(plan)}: ${detail}`);
  }
}

/** The lease was revoked (released, re-prepared, or lost a claim): this holder must stop writing. */
export class LeaseRevokedError extends Error {
  override readonly name = 'LeaseRevokedError';
  constructor(readonly key: PartitionKey) {
    super(`the lease on ${key.table} ${key.topic}[${key.partition}] was revoked; prepare the partition again`);
  }
}

export class PartitionWriteLease {
  private revoked = false;
  private busy = false;

  constructor(
    readonly key: PartitionKey,
    /** Claim identity: unique per lease, so two holders of one partition never look alike. */
    readonly writer: string,
    public state: PartitionState | null,
  ) {}

  get plan(): PartitionPlan {
    const s = this.state;
    if (s === null) return { kind: 'free', after: null };
    if (s.status === 'done') return { kind: 'free', after: s.last.toString() };
    return { kind: 'replay', firstOffset: s.first.toString(), lastOffset: s.last.toString(), rows: s.rows };
  }

  get held(): boolean {
    return !this.revoked;
  }

  revoke(): void {
    this.revoked = true;
  }

  assertHeld(): void {
    if (this.revoked) throw new LeaseRevokedError(this.key);
  }

  /** Runs `fn` as the lease's only write: a partition's batches are written one after the other. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.assertHeld();
    if (this.busy) throw new Error(`${this.key.topic}[${this.key.partition}]: a write is already running on this lease`);
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }
}

/** The lease's name from before there were several writers; the same class. */
export const LogWriteLease = PartitionWriteLease;
export type LogWriteLease = PartitionWriteLease;

/** A record to write with where it came from, and its offset parsed once (`OrderedSource<LogRecord>` is a `LogRowSource`). */
export interface OrderedSource<R = LogRecord> {
  record: R;
  offset: string;
  /** Position in the message's envelope; -1 for a message of one record. */
  index: number;
  offsetValue: bigint;
}

/** The records as row sources in (offset, index) order (already ordered input, the usual case, is not re-sorted). */
export function sortedSources<R>(records: ReadonlyArray<SinkRecord<R>>): Array<OrderedSource<R>> {
  const sources = records.map((r) => ({ record: r.value, offset: r.offset, index: r.index, offsetValue: BigInt(r.offset) }));
  const before = (a: OrderedSource<R>, b: OrderedSource<R>): boolean => a.offsetValue < b.offsetValue || (a.offsetValue === b.offsetValue && a.index < b.index);
  for (let i = 1; i < sources.length; i++) {
    if (before(sources[i] as OrderedSource<R>, sources[i - 1] as OrderedSource<R>)) {
      sources.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      break;
    }
  }
  return sources;
}

/** The distinct offsets of sorted sources, ascending. */
export function distinctOffsets<R>(sources: ReadonlyArray<OrderedSource<R>>): bigint[] {
  const offsets: bigint[] = [];
  for (const s of sources) if (offsets[offsets.length - 1] !== s.offsetValue) offsets.push(s.offsetValue);
  return offsets;
}

/** The sources whose offset lies in `first..last`. */
export function rangeRecords<R>(sources: ReadonlyArray<OrderedSource<R>>, first: bigint, last: bigint): Array<OrderedSource<R>> {
  return sources.filter((s) => s.offsetValue >= first && s.offsetValue <= last);
}

/**
 * Cuts the sources of one new range into ranges of at most ~`maxRows` rows, at message boundaries (an
 * envelope larger than `maxRows` stays whole), in near-equal parts, so a large batch never becomes one huge
 * INSERT nor a big one followed by a tiny one. Up to `maxRows` × `slack` rows stay one range: the caller
 * chooses batch sizes, this only bounds them.
 */
export function splitNewRange<R>(sources: ReadonlyArray<OrderedSource<R>>, maxRows: number, slack = 2): Array<Array<OrderedSource<R>>> {
  if (sources.length <= maxRows * slack) return [sources.slice()];
  const parts = Math.ceil(sources.length / maxRows);
  const target = Math.ceil(sources.length / parts);
  const out: Array<Array<OrderedSource<R>>> = [];
  let current: Array<OrderedSource<R>> = [];
  for (const s of sources) {
    const last = current[current.length - 1];
    if (last !== undefined && last.offsetValue !== s.offsetValue && current.length >= target) {
      out.push(current);
      current = [];
    }
    current.push(s);
  }
  if (current.length > 0) out.push(current);
  return out;
}
