/**
 * The Prometheus metrics of state stores, registered once per Registry whatever the number of stores (the
 * `store` label tells them apart): how much each partition holds, how long restores take and how much they
 * read, how much each flush writes, and how often a bound refused a write.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface StateMetrics {
  keys: Gauge<'store' | 'partition'>;
  bytes: Gauge<'store' | 'partition'>;
  restoreSeconds: Histogram<'store'>;
  restoredEntries: Counter<'store'>;
  flushedEntries: Counter<'store' | 'kind'>;
  overflow: Counter<'store' | 'bound'>;
}

const byRegistry = new WeakMap<Registry, StateMetrics>();

export function stateMetrics(registry: Registry): StateMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const m: StateMetrics = {
    keys: new Gauge({ name: 'sextant_state_keys', help: 'Keys held by a state store for one input partition.', labelNames: ['store', 'partition'], registers }),
    bytes: new Gauge({ name: 'sextant_state_bytes', help: 'Bytes (UTF-8 keys plus encoded values) held by a state store for one input partition.', labelNames: ['store', 'partition'], registers }),
    restoreSeconds: new Histogram({
      name: 'sextant_state_restore_seconds',
      help: 'Duration of one partition restore from the changelog.',
      labelNames: ['store'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    restoredEntries: new Counter({ name: 'sextant_state_restored_entries_total', help: 'Changelog records read by restores.', labelNames: ['store'], registers }),
    flushedEntries: new Counter({ name: 'sextant_state_flushed_entries_total', help: 'Changelog records produced by flushes, by kind (value or tombstone).', labelNames: ['store', 'kind'], registers }),
    overflow: new Counter({ name: 'sextant_state_overflow_total', help: 'Writes refused because a partition reached a bound (keys or bytes).', labelNames: ['store', 'bound'], registers }),
  };
  byRegistry.set(registry, m);
  return m;
}
