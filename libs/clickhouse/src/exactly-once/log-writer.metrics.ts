/**
 * Metrics of the exactly-once log writer, on top of the insert metrics it shares with the batch inserter
 * (`sextant_clickhouse_*`). Gaps, resets and claim conflicts are the events an operator must see: each means
 * a consumer skipped offsets, a topic was recreated, or two writers raced for one partition.
 */
import { type Counter, Gauge, type Registry } from 'prom-client';
import { counter } from '../batch-inserter/batch-inserter.metrics';

export const STATE_GAPS_METRIC = 'sextant_sink_state_gaps_total';
export const STATE_GAP_OFFSETS_METRIC = 'sextant_sink_state_gap_offsets_total';
export const STATE_RESETS_METRIC = 'sextant_sink_state_resets_total';
export const STATE_CONFLICTS_METRIC = 'sextant_sink_state_conflicts_total';
export const STATE_REPLAY_MISMATCHES_METRIC = 'sextant_sink_state_replay_mismatches_total';
export const STATE_ROWS_METRIC = 'sextant_sink_state_rows_total';
export const STATE_LEASES_METRIC = 'sextant_sink_state_leases';
export const TIMESTAMPS_REPLACED_METRIC = 'sextant_clickhouse_timestamps_replaced_total';
export const ROWS_REJECTED_METRIC = 'sextant_clickhouse_rows_rejected_total';

/** `action` label of `sextant_sink_state_rows_total`. */
export type RowAction = 'skipped' | 'replayed' | 'inserted';

export interface LogWriterMetrics {
  gaps: Counter<'table'>;
  gapOffsets: Counter<'table'>;
  resets: Counter<'table'>;
  conflicts: Counter<'table'>;
  replayMismatches: Counter<'table'>;
  rows: Counter<'table' | 'action'>;
  timestampsReplaced: Counter<'table'>;
  rowsRejected: Counter<'table'>;
  leases: Gauge<'table'>;
}

export function logWriterMetrics(registry: Registry): LogWriterMetrics {
  const existing = registry.getSingleMetric(STATE_LEASES_METRIC);
  const leases =
    existing instanceof Gauge
      ? (existing as Gauge<'table'>)
      : new Gauge({ name: STATE_LEASES_METRIC, help: 'Partitions a writer currently holds a lease on (bounded)', labelNames: ['table'], registers: [registry] });
  return {
    gaps: counter(registry, STATE_GAPS_METRIC, 'Batches that began past the stored range without the consumer reading through the hole', ['table']),
    gapOffsets: counter(registry, STATE_GAP_OFFSETS_METRIC, 'Offsets inside reported gaps', ['table']),
    resets: counter(registry, STATE_RESETS_METRIC, 'Partitions whose offsets restarted at 0 below the stored range (topic recreated)', ['table']),
    conflicts: counter(registry, STATE_CONFLICTS_METRIC, 'Claims lost to another writer of the same partition', ['table']),
    replayMismatches: counter(registry, STATE_REPLAY_MISMATCHES_METRIC, 'Pending ranges redelivered with another row count, replayed under their stored token', ['table']),
    rows: counter(registry, STATE_ROWS_METRIC, 'Rows handed to the writer, by what the state said to do with them', ['table', 'action']),
    timestampsReplaced: counter(registry, TIMESTAMPS_REPLACED_METRIC, 'Rows stored under their observed time because their own fell outside the window', ['table']),
    rowsRejected: counter(registry, ROWS_REJECTED_METRIC, 'Rows ClickHouse refused as data, handed back for dead-lettering', ['table']),
    leases,
  };
}
