/**
 * The aggregator stage: its windows, lateness, cardinality budgets, pre-aggregation rules and state bounds.
 * The window engine's own rules (lateness within the correction horizon, idle timeout past both, budgets
 * that fit) are @sextant/aggregation's, checked at boot by the stage over the config it will run with.
 */
import { boolVar, intVar, listVar, textVar } from '../env-var';
import { defineSection } from '../config-section';

const MiB = 1024 * 1024;

export interface AggregatorSettings {
  /** Window lengths, ms. */
  resolutionsMs: number[];
  allowedLatenessMs: number;
  maxOutOfOrderMs: number;
  emitCorrections: boolean;
  correctionHorizonMs: number;
  maxSeriesPerMetric: number;
  maxSeries: number;
  seriesIdleTimeoutMs: number;
  rulesFile: string;
  stateMaxBytes: number;
  transactionalId: string;
}

/** `10s`, `1m`, `1h` → ms; undefined when malformed. */
function parseWindow(text: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000);
}

export const aggregatorSection = defineSection({
  title: 'Aggregator',
  vars: {
    resolutions: listVar('SEXTANT_AGGREGATOR_RESOLUTIONS', 'Tumbling window lengths, comma separated (<n>s, <n>m or <n>h), aligned to the Unix epoch; each has its rollup table (SEXTANT_CLICKHOUSE_ROLLUPS).', '10s,1m'),
    allowedLatenessMs: intVar('SEXTANT_AGGREGATOR_ALLOWED_LATENESS_MS', 'How far the watermark must pass a window\'s end before the window is emitted.', 30000, 0, 86400000, 'ms'),
    maxOutOfOrderMs: intVar('SEXTANT_AGGREGATOR_MAX_OUT_OF_ORDER_MS', 'How far a partition\'s watermark trails the newest event time seen on it.', 5000, 0, 3600000, 'ms'),
    emitCorrections: boolVar('SEXTANT_AGGREGATOR_EMIT_CORRECTIONS', 'Late samples re-open their emitted window, which is emitted again with the next revision (otherwise they are only counted).', true),
    correctionHorizonMs: intVar('SEXTANT_AGGREGATOR_CORRECTION_HORIZON_MS', 'How long (of watermark past a window\'s end) an emitted window is kept for corrections; later samples are dropped, counted.', 300000, 0, 86400000, 'ms'),
    maxSeriesPerMetric: intVar('SEXTANT_AGGREGATOR_MAX_SERIES_PER_METRIC', 'Cardinality budget: live series per tenant and metric name in one partition; samples of new series beyond it fold into the metric\'s overflow series (otel_metric_overflow="true"), counted.', 10000, 1, 10000000, 'series'),
    maxSeries: intVar('SEXTANT_AGGREGATOR_MAX_SERIES', 'Live series per input partition, over all metrics and tenants (beyond it: the overflow series, counted).', 40000, 1, 10000000, 'series'),
    seriesIdleTimeoutMs: intVar('SEXTANT_AGGREGATOR_SERIES_IDLE_TIMEOUT_MS', 'Event time without a sample after which a series is forgotten, freeing its budget.', 600000, 1000, 604800000, 'ms'),
    rulesFile: textVar('SEXTANT_AGGREGATOR_RULES_FILE', 'JSON file of pre-aggregations, like recording rules: {"preAggregations":[{"record":"job:http_requests:sum","metric":"http_requests_total","by":["job"]}]} (by or without). Empty: none.', ''),
    stateMaxBytes: intVar('SEXTANT_AGGREGATOR_STATE_MAX_BYTES', 'State bytes per input partition at most (encoded series and windows); beyond it new series fold into the overflow series.', 256 * MiB, MiB, 16384 * MiB, 'bytes'),
    transactionalId: textVar('SEXTANT_AGGREGATOR_TRANSACTIONAL_ID', 'Base of the Kafka transactional ids: one per input partition, <base>.<topic>.<partition>, the same on every replica. Empty: the consumer group.', ''),
  },
  build: (f): { value: AggregatorSettings; problems: string[] } => {
    const problems: string[] = [];
    const resolutionsMs: number[] = [];
    for (const r of f.resolutions) {
      const ms = parseWindow(r);
      if (ms === undefined || ms === 0) problems.push(`SEXTANT_AGGREGATOR_RESOLUTIONS entry ${JSON.stringify(r)} is not <n>s, <n>m or <n>h`);
      else resolutionsMs.push(ms);
    }
    const { resolutions: _resolutions, ...rest } = f;
    return { value: { ...rest, resolutionsMs }, problems };
  },
});
