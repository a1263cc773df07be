/** The aggregator stage's own metrics: what went in and out, and every event the window engine counts. */
import type { AggregatorCounters } from '@sextant/aggregation';
import type { MetricRollup } from '@sextant/contracts';
import type { Logger } from '@sextant/telemetry';
import { Counter, Gauge, type Registry } from 'prom-client';

export class AggregatorMetrics {
  readonly records: Counter<'topic'>;
  readonly rollups: Counter<'resolution'>;
  readonly events: Counter<'event'>;
  readonly series: Gauge<'topic' | 'partition'>;
  readonly openWindows: Gauge<'topic' | 'partition'>;
  private readonly dropped: Counter<'reason'>;

  constructor(
    registry: Registry,
    private readonly logger?: Logger,
  ) {
    this.dropped = new Counter({ name: 'sextant_aggregator_rollups_dropped_total', help: 'Window rows not emitted, by reason (too_large: larger than any envelope, SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES).', labelNames: ['reason'], registers: [registry] });
    this.records = new Counter({ name: 'sextant_aggregator_records_total', help: 'Records aggregated (metric samples, log records), by input topic.', labelNames: ['topic'], registers: [registry] });
    this.rollups = new Counter({ name: 'sextant_aggregator_rollups_total', help: 'Window rows emitted to metrics.rollups (corrections included), by resolution.', labelNames: ['resolution'], registers: [registry] });
    this.events = new Counter({
      name: 'sextant_aggregator_events_total',
      help: 'What the window engine counted: late_samples, dropped_late, corrections, overflow_samples (folded into an overflow series), refused_series (beyond a cardinality budget), dropped_overflow, expired_series, state_overflow, kind_mismatch, bounds_mismatch, stale_markers, invalid_samples.',
      labelNames: ['event'],
      registers: [registry],
    });
    this.series = new Gauge({ name: 'sextant_aggregator_series', help: 'Live series held per input partition (overflow series included).', labelNames: ['topic', 'partition'], registers: [registry] });
    this.openWindows = new Gauge({ name: 'sextant_aggregator_open_windows', help: 'Windows open or kept for corrections per input partition.', labelNames: ['topic', 'partition'], registers: [registry] });
  }

  /** Rows larger than any envelope: counted and logged with their series. */
  tooLarge(rows: MetricRollup[]): void {
    this.dropped.inc({ reason: 'too_large' }, rows.length);
    this.logger?.error({ series: rows.slice(0, 10).map((r) => r.seriesKey), rows: rows.length }, 'window rows larger than any envelope were not emitted');
  }

  /** The engine's counters, as this registry's events. */
  counters(): AggregatorCounters {
    return { inc: (name, n) => this.events.inc({ event: name }, n) };
  }
}
