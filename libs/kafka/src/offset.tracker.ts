/**
 * Which offset of one partition may be resolved, when records finish out of order (concurrent sub-batches,
 * retries). Offsets are tracked in fetch order and marked done in any order; the tracker yields the highest
 * offset at or below which every tracked record is done. Resolving anything higher would let a crash skip
 * a record whose outputs were never acknowledged. Gaps in the offsets (compaction, transaction markers) are
 * fine: only tracked offsets count. One tracker lives as long as its partition's assignment (acknowledgements
 * may come long after the fetch), so a re-fetch of offsets it already tracks is harmless.
 */
export class OffsetTracker {
  private offsets: bigint[] = [];
  private head = 0;
  private readonly done = new Set<bigint>();
  private highest: bigint | null = null;

  /** Starts over (a new batch of the partition, or a new assignment). */
  reset(): void {
    this.offsets = [];
    this.head = 0;
    this.done.clear();
    this.highest = null;
  }

  /**
   * Tracks an offset; new offsets must come in increasing order. An offset already tracked (pending or done) is
   * ignored: the partition was re-fetched after abandoned work.
   */
  track(offset: string | bigint): void {
    const o = BigInt(offset);
    const last = this.offsets.length > this.head ? this.offsets[this.offsets.length - 1] : this.highest;
    if (last !== null && o <= last) {
      if ((this.highest !== null && o <= this.highest) || this.isPending(o)) return;
      throw new Error(`offset ${o} tracked after ${last}: offsets must increase`);
    }
    this.offsets.push(o);
  }

  /** Marks a tracked offset done. Marking one twice is harmless; an untracked one is a bug. */
  markDone(offset: string | bigint): void {
    const o = BigInt(offset);
    if (this.highest !== null && o <= this.highest) return;
    if (!this.isPending(o)) throw new Error(`offset ${o} is not tracked`);
    this.done.add(o);
    while (this.head < this.offsets.length && this.done.has(this.offsets[this.head])) {
      this.done.delete(this.offsets[this.head]);
      this.highest = this.offsets[this.head];
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.head = 0;
    }
  }

  /** The highest offset at or below which every tracked offset is done, or null while the first is pending. */
  committable(): bigint | null {
    return this.highest;
  }

  /** Tracked offsets not yet covered by committable(). */
  get pending(): number {
    return this.offsets.length - this.head;
  }

  private isPending(o: bigint): boolean {
    let lo = this.head;
    let hi = this.offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid] === o) return true;
      if (this.offsets[mid] < o) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
