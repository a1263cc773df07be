/**
 * Which targets this replica scrapes. Each target belongs to shard `hashMod(key, N)`; a replica scrapes the
 * targets of the shards it owns. When the replicas' owned sets partition 0..N-1, every target is scraped by
 * exactly one of them.
 */
import { hashMod } from '../target-hash';

export interface ShardOwnership {
  /** Whether this replica scrapes the target of `targetKey`. */
  owns(targetKey: string): boolean;
  /** Calls `cb` after every change of ownership; returns the unsubscribe function. */
  onChange(cb: () => void): () => void;
}

/** The shard of a target among `shardCount`. */
export function shardOf(targetKey: string, shardCount: number): number {
  return hashMod(targetKey, shardCount);
}

/** Owns everything: a single replica. */
export const OWN_ALL_TARGETS: ShardOwnership = Object.freeze({ owns: () => true, onChange: () => () => undefined });

/** Static sharding, as Prometheus's `hashmod` relabeling: replica `index` of `count` owns shard `index`. */
export class HashModOwnership implements ShardOwnership {
  constructor(
    readonly index: number,
    readonly count: number,
  ) {
    if (!Number.isSafeInteger(count) || count < 1) throw new Error(`shard count must be an integer ≥ 1, got ${count}`);
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new Error(`shard index must be an integer in [0, ${count}), got ${index}`);
  }

  owns(targetKey: string): boolean {
    return shardOf(targetKey, this.count) === this.index;
  }

  onChange(): () => void {
    return () => undefined;
  }
}

/**
 * Sharding that changes at runtime: this replica owns the shards in its assigned set, out of `shardCount`
 * (e.g. the partitions of a coordination topic its consumer group assigned it). `assign` replaces the set and
 * tells the listeners; starts owning nothing unless given a set.
 */
export class AssignedShardsOwnership implements ShardOwnership {
  private owned: ReadonlySet<number>;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly shardCount: number,
    owned: Iterable<number> = [],
  ) {
    if (!Number.isSafeInteger(shardCount) || shardCount < 1) throw new Error(`shard count must be an integer ≥ 1, got ${shardCount}`);
    this.owned = this.validated(owned);
  }

  /** The owned shards, ascending. */
  get shards(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  owns(targetKey: string): boolean {
    return this.owned.has(shardOf(targetKey, this.shardCount));
  }

  /** Replaces the owned set; listeners are called when it differs. */
  assign(owned: Iterable<number>): void {
    const next = this.validated(owned);
    if (next.size === this.owned.size && [...next].every((s) => this.owned.has(s))) return;
    this.owned = next;
    for (const cb of [...this.listeners]) cb();
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private validated(owned: Iterable<number>): ReadonlySet<number> {
    const set = new Set(owned);
    for (const s of set) {
      if (!Number.isSafeInteger(s) || s < 0 || s >= this.shardCount) throw new Error(`shard must be an integer in [0, ${this.shardCount}), got ${s}`);
    }
    return set;
  }
}
