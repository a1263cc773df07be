/**
 * The exactly-once state machine of one (table, topic, partition), as a pure function: given the last claimed
 * offset range and its status, and the offsets of the batch in hand, it says which part to skip (already
 * stored), which part to replay exactly (claimed but never confirmed: same range, same token, so ClickHouse
 * completes whatever part of it is missing and drops the rest), and which part is new. It follows the
 * ClickHouse Kafka Connect sink's states (same, overlapping, contains, new, previous, zeroed), with two
 * differences: a pending range this batch does not hold is re-read (`refetch`) instead of dead-lettered, and
 * a hole between the stored range and the batch is reported as a gap unless the consumer vouches it read
 * through it (transaction markers take offsets too).
 */

export type RangeStatus = 'pending' | 'done';

/** The last range claimed for a partition. Offsets are inclusive and are record-bearing message offsets. */
export interface StoredRange {
  first: bigint;
  last: bigint;
  rows: number;
  status: RangeStatus;
}

export type RangeAction =
  /** Offsets `first..last` of the batch are stored already: drop them. */
  | { kind: 'skip'; first: bigint; last: bigint }
  /** Re-insert exactly the stored range (the batch holds all of it) with the stored range's token. */
  | { kind: 'replay'; first: bigint; last: bigint }
  /** Offsets `first..last` (actual record offsets of the batch) are new: claim them, then insert. */
  | { kind: 'insert'; first: bigint; last: bigint };

/** Offsets the consumer never saw records for, between the stored range and the batch. */
export interface OffsetGap {
  from: bigint;
  to: bigint;
}

export type RangeDecision =
  | {
      kind: 'proceed';
      /** In offset order; at most one of each kind. */
      actions: RangeAction[];
      /** Set when offsets were skipped without the consumer vouching for them: report it, then go on. */
      gap: OffsetGap | null;
      /** The batch starts over at offset 0 below the stored range: the topic was recreated. */
      reset: boolean;
    }
  /** The pending range is not (wholly) in this batch: re-read the partition from `from` and try again. */
  | { kind: 'refetch'; from: bigint }
  /** The batch starts the pending range but ends before its last offset: cut the batch at `upTo` instead. */
  | { kind: 'incomplete'; upTo: bigint };

/**
 * Decides what to do with a batch holding records at `offsets` (ascending, distinct, not empty). `fetchedFrom`
 * is the offset the consumer started reading this batch from, when it knows: offsets between it and the first
 * record hold no records (markers, compaction), so skipping them is not a gap.
 */
export function decideRange(stored: StoredRange | null, offsets: readonly bigint[], fetchedFrom?: bigint): RangeDecision {
  const first = offsets[0];
  const last = offsets[offsets.length - 1];
  if (first === undefined || last === undefined) throw new Error('decideRange needs at least one offset');
  if (stored === null) return proceed([{ kind: 'insert', first, last }]);
  if (first === 0n && stored.first > 0n && last < stored.first) {
    return { kind: 'proceed', actions: [{ kind: 'insert', first, last }], gap: null, reset: true };
  }
  return stored.status === 'done' ? afterDone(stored, offsets, first, last, fetchedFrom) : afterPending(stored, offsets, first, last, fetchedFrom);
}

function proceed(actions: RangeAction[], gap: OffsetGap | null = null): RangeDecision {
  return { kind: 'proceed', actions, gap, reset: false };
}

/** First offset in `offsets` strictly above `bound`, if any. */
function firstAbove(offsets: readonly bigint[], bound: bigint): bigint | undefined {
  for (const o of offsets) if (o > bound) return o;
  return undefined;
}

function lastAtOrBelow(offsets: readonly bigint[], bound: bigint): bigint | undefined {
  let found: bigint | undefined;
  for (const o of offsets) {
    if (o > bound) break;
    found = o;
  }
  return found;
}

/** Everything up to `stored.last` is stored (offsets before `stored.first` were done before it was claimed). */
function afterDone(stored: StoredRange, offsets: readonly bigint[], first: bigint, last: bigint, fetchedFrom: bigint | undefined): RangeDecision {
  const actions: RangeAction[] = [];
  const skippedTo = lastAtOrBelow(offsets, stored.last);
  if (skippedTo !== undefined) actions.push({ kind: 'skip', first, last: skippedTo });
  const fresh = firstAbove(offsets, stored.last);
  if (fresh === undefined) return proceed(actions);
  actions.push({ kind: 'insert', first: fresh, last });
  // Reading continuously from inside the stored range, or from right after it, leaves no hole.
  const readFrom = skippedTo !== undefined ? stored.last + 1n : fetchedFrom !== undefined && fetchedFrom < fresh ? fetchedFrom : fresh;
  const gap = readFrom > stored.last + 1n ? { from: stored.last + 1n, to: readFrom - 1n } : null;
  return proceed(actions, gap);
}

/** The pending range may be stored in part (a multi-part insert, a lost acknowledgement): replay it exactly. */
function afterPending(stored: StoredRange, offsets: readonly bigint[], first: bigint, last: bigint, fetchedFrom: bigint | undefined): RangeDecision {
  const actions: RangeAction[] = [];
  const before = lastAtOrBelow(offsets, stored.first - 1n);
  if (before !== undefined) actions.push({ kind: 'skip', first, last: before });
  const start = firstAbove(offsets, stored.first - 1n);
  if (start === undefined) return proceed(actions);
  if (start !== stored.first) {
    // The consumer already stands past the pending range's start and cannot deliver it: the range is lost to
    // this reader (e.g. retention removed it). Report what may be missing and carry on with the new records.
    if (fetchedFrom !== undefined && fetchedFrom > stored.first) {
      actions.push({ kind: 'insert', first: start, last });
      return proceed(actions, { from: stored.first, to: start - 1n });
    }
    return { kind: 'refetch', from: stored.first };
  }
  const headEnd = lastAtOrBelow(offsets, stored.last);
  if (headEnd !== stored.last) return { kind: 'incomplete', upTo: stored.last };
  actions.push({ kind: 'replay', first: stored.first, last: stored.last });
  const tail = firstAbove(offsets, stored.last);
  if (tail !== undefined) actions.push({ kind: 'insert', first: tail, last });
  return proceed(actions);
}
