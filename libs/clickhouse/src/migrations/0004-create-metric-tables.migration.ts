/**
 * Migration 4: the metric tables. The five OpenTelemetry exporter tables (`otel_metrics_*`, filled from OTLP
 * sources only), and Sextant's PromQL storage: series, samples and native histograms (every sample of every
 * source). The rollup tables depend on the configured resolutions, so `migrate()` creates them after the
 * sequence (see metric-rollup-tables.ts) rather than a versioned migration whose SQL is fixed.
 */
import { metricSamplesTableDdl, metricSeriesTableDdl, nativeHistogramsTableDdl } from '../tables/metric-samples.table';
import { otelMetricTableDdl } from '../tables/otel-metrics.table';
import type { Migration } from './migration';

export const createMetricTablesMigration: Migration = {
  version: 4,
  name: 'create_metric_tables',
  up: (ctx) => {
    const t = ctx.metricTables;
    const ttl = ctx.metricsTtlDays;
    return [
      otelMetricTableDdl('gauge', t.gauge, ttl),
      otelMetricTableDdl('sum', t.sum, ttl),
      otelMetricTableDdl('histogram', t.histogram, ttl),
      otelMetricTableDdl('expHistogram', t.expHistogram, ttl),
      otelMetricTableDdl('summary', t.summary, ttl),
      metricSeriesTableDdl(t.series, ttl),
      metricSamplesTableDdl(t.samples, ttl),
      nativeHistogramsTableDdl(t.nativeHistograms, ttl),
    ];
  },
};
