/**
 * The batch inserter's Prometheus metrics. They are looked up in the given registry before being created, so
 * several inserters (one per table) share one set of series distinguished by the `table` label.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export const ROWS_INSERTED_METRIC = 'sextant_clickhouse_rows_inserted_total';
export const ROWS_DEDUPLICATED_METRIC = 'sextant_clickhouse_rows_deduplicated_total';
export const INSERT_BATCHES_METRIC = 'sextant_clickhouse_insert_batches_total';
export const INSERT_DURATION_METRIC = 'sextant_clickhouse_insert_duration_seconds';
export const INSERT_RETRIES_METRIC = 'sextant_clickhouse_insert_retries_total';

/** Outcome label of `sextant_clickhouse_insert_batches_total`. */
export type InsertOutcome = 'inserted' | 'rejected' | 'failed';

export interface BatchInserterMetrics {
  rowsInserted: Counter<'table'>;
  rowsDeduplicated: Counter<'table'>;
  batches: Counter<'table' | 'outcome'>;
  duration: Histogram<'table'>;
  retries: Counter<'table'>;
}

/** The counter `name` of `registry`, created on first use (so components can share series). */
export function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** Gets or creates the inserter metrics in `registry`. */
export function batchInserterMetrics(registry: Registry): BatchInserterMetrics {
  const existing = registry.getSingleMetric(INSERT_DURATION_METRIC);
  const duration =
    existing instanceof Histogram
      ? (existing as Histogram<'table'>)
      : new Histogram({
          name: INSERT_DURATION_METRIC,
          help: 'Duration of one INSERT attempt into ClickHouse, in seconds',
          labelNames: ['table'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        });
  return {
    rowsInserted: counter(registry, ROWS_INSERTED_METRIC, 'Rows acknowledged by ClickHouse (including rows it dropped as duplicates)', ['table']),
    rowsDeduplicated: counter(registry, ROWS_DEDUPLICATED_METRIC, 'Rows a server reported as not written because the insert token was already seen', ['table']),
    batches: counter(registry, INSERT_BATCHES_METRIC, 'INSERT statements by outcome (inserted, rejected for bad data, failed)', ['table', 'outcome']),
    duration,
    retries: counter(registry, INSERT_RETRIES_METRIC, 'INSERT attempts retried after a transient error', ['table']),
  };
}
