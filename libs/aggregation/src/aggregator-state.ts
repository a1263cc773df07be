// The key-value store the engine checkpoints into. The stage backs it with PartitionStateStore of
// @sextant/state (one partition's view); tests use MemoryAggregatorState. Values are plain JSON.

export interface AggregatorStateStore<V> {
  get(key: string): V | undefined;
  /** 'overflow' when the store refused the write (its bounds): nothing changed. */
  set(key: string, value: V): 'stored' | 'overflow';
  delete(key: string): void;
  entries(): Iterable<[string, V]>;
}

/** In-memory store with an optional key bound, for tests and tools. */
export class MemoryAggregatorState<V = unknown> implements AggregatorStateStore<V> {
  readonly map = new Map<string, V>();
  /** Writes seen, per key: lets tests check one write per changed key and flush. */
  writes = 0;

  constructor(private readonly maxKeys = Infinity) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): 'stored' | 'overflow' {
    if (!this.map.has(key) && this.map.size >= this.maxKeys) return 'overflow';
    this.writes++;
    this.map.set(key, value);
    return 'stored';
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  entries(): Iterable<[string, V]> {
    return this.map.entries();
  }

  /** A copy through JSON text, as a changelog restore would see it. */
  snapshot(): MemoryAggregatorState<V> {
    const copy = new MemoryAggregatorState<V>(this.maxKeys);
    for (const [k, v] of this.map) copy.map.set(k, JSON.parse(JSON.stringify(v)) as V);
    return copy;
  }
}
