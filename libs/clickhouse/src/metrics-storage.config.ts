/**
 * The metrics part of the ClickHouse configuration: table names, retention per table family, which sample
 * sources also fill the OpenTelemetry exporter's `otel_metrics_*` tables, and the rollup resolutions (one table
 * each). Plain data, validated with the rest of `ClickHouseConfig` (`clickHouseConfigProblems`).
 */
import { isSqlIdentifier } from './sql-identifier';

/** Names of the metric tables, all inside the configured database. Plain identifiers. */
export interface MetricTablesConfig {
  /** OTLP gauges, exporter schema. Default: `otel_metrics_gauge`. */
  gauge: string;
  /** OTLP sums, exporter schema. Default: `otel_metrics_sum`. */
  sum: string;
  /** OTLP explicit-bucket histograms, exporter schema. Default: `otel_metrics_histogram`. */
  histogram: string;
  /** OTLP exponential histograms, exporter schema. Default: `otel_metrics_exp_histogram`. */
  expHistogram: string;
  /** OTLP summaries, exporter schema. Default: `otel_metrics_summary`. */
  summary: string;
  /** One row per series per day (labels, type, unit, help) for PromQL label lookups. Default: `sextant_metric_series`. */
  series: string;
  /** Every sample of every source, Prometheus classic representation. Default: `sextant_metric_samples`. */
  samples: string;
  /** Exponential (native) histogram buckets, keyed like the samples. Default: `sextant_metric_native_histograms`. */
  nativeHistograms: string;
  /** Prefix of the rollup tables; a resolution's table is `<prefix>_<label>`, e.g. `_10s`, `_1m`. Default: `sextant_metric_rollups`. */
  rollupsPrefix: string;
}

/** One rollup resolution: the window length it stores and how long. */
export interface MetricRollupResolutionConfig {
  /** Window length in seconds; rollups whose window has another length are refused. */
  resolutionSeconds: number;
  /** Retention of this resolution's rows in days. */
  ttlDays: number;
}

export interface MetricsStorageConfig {
  tables: MetricTablesConfig;
  /**
   * Retention of samples, series, native histograms and `otel_metrics_*` rows in days (whole day partitions
   * are dropped). Re-applied on every `migrate()`. Default: 30.
   */
  ttlDays: number;
  /**
   * Sample `source` values whose samples also go to the `otel_metrics_*` tables (the OpenTelemetry shape,
   * for Grafana's ClickHouse plugin). Default: `['otlp', 'kafka-otlp']`.
   */
  otelSources: string[];
  /** Rollup resolutions, each with its own table and TTL. Default: 10 s kept 7 days, 60 s kept 90 days. */
  rollups: MetricRollupResolutionConfig[];
}

export const DEFAULT_METRICS_TTL_DAYS = 30;
export const DEFAULT_METRIC_OTEL_SOURCES: readonly string[] = ['otlp', 'kafka-otlp'];
export const DEFAULT_METRIC_ROLLUPS: readonly MetricRollupResolutionConfig[] = [
  { resolutionSeconds: 10, ttlDays: 7 },
  { resolutionSeconds: 60, ttlDays: 90 },
];
export const DEFAULT_METRIC_TABLES: Readonly<MetricTablesConfig> = {
  gauge: 'otel_metrics_gauge',
  sum: 'otel_metrics_sum',
  histogram: 'otel_metrics_histogram',
  expHistogram: 'otel_metrics_exp_histogram',
  summary: 'otel_metrics_summary',
  series: 'sextant_metric_series',
  samples: 'sextant_metric_samples',
  nativeHistograms: 'sextant_metric_native_histograms',
  rollupsPrefix: 'sextant_metric_rollups',
};

/** Longest resolution we accept: a day. Longer windows are a unit mistake (milliseconds for seconds). */
const MAX_RESOLUTION_SECONDS = 86_400;
const MAX_TTL_DAYS = 36_500;

export function defaultMetricsStorageConfig(): MetricsStorageConfig {
  return {
    tables: { ...DEFAULT_METRIC_TABLES },
    ttlDays: DEFAULT_METRICS_TTL_DAYS,
    otelSources: [...DEFAULT_METRIC_OTEL_SOURCES],
    rollups: DEFAULT_METRIC_ROLLUPS.map((r) => ({ ...r })),
  };
}

/** `10` → `10s`, `60` → `1m`, `3600` → `1h`, `86400` → `1d`: the suffix of a resolution's table. */
export function resolutionLabel(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** The table of one resolution, e.g. `sextant_metric_rollups_10s`. */
export function rollupTableName(tables: Pick<MetricTablesConfig, 'rollupsPrefix'>, resolutionSeconds: number): string {
  return `${tables.rollupsPrefix}_${resolutionLabel(resolutionSeconds)}`;
}

/** Every metric table name the config yields (rollup tables included), in a fixed order. */
export function metricTableNames(config: MetricsStorageConfig): string[] {
  const t = config.tables;
  return [t.gauge, t.sum, t.histogram, t.expHistogram, t.summary, t.series, t.samples, t.nativeHistograms, ...config.rollups.map((r) => rollupTableName(t, r.resolutionSeconds))];
}

function integerIn(problems: string[], name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) problems.push(`${name} must be an integer between 1 and ${max}, got ${String(value)}`);
}

/** Every problem of the metrics section, field names prefixed `metrics.`; `otherTables` are the non-metric names. */
export function metricsStorageConfigProblems(config: MetricsStorageConfig, otherTables: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [field, name] of Object.entries(config.tables)) {
    if (!isSqlIdentifier(name)) problems.push(`metrics.tables.${field} must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), got ${JSON.stringify(name)}`);
  }
  integerIn(problems, 'metrics.ttlDays', config.ttlDays, MAX_TTL_DAYS);
  if (!Array.isArray(config.otelSources) || config.otelSources.some((s) => typeof s !== 'string' || s === '')) {
    problems.push('metrics.otelSources must be a list of non-empty source names');
  }
  const seen = new Set<number>();
  config.rollups.forEach((r, i) => {
    integerIn(problems, `metrics.rollups[${i}].resolutionSeconds`, r.resolutionSeconds, MAX_RESOLUTION_SECONDS);
    integerIn(problems, `metrics.rollups[${i}].ttlDays`, r.ttlDays, MAX_TTL_DAYS);
    if (seen.has(r.resolutionSeconds)) problems.push(`metrics.rollups[${i}].resolutionSeconds ${r.resolutionSeconds} is listed twice`);
    seen.add(r.resolutionSeconds);
  });
  const names = [...otherTables, ...metricTableNames(config)];
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) problems.push(`table names must differ; used twice: ${[...new Set(duplicates)].join(', ')}`);
  return problems;
}
