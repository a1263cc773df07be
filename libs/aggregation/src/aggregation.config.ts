// Configuration of the metric aggregator's window engine: window sizes, lateness, corrections, quantiles,
// cardinality budgets and recording rules. Validated once; every problem is reported, not only the first.

/** Window sizes: 10 s for dashboards, 60 s for longer ranges. */
export const DEFAULT_RESOLUTIONS_MS: readonly number[] = [10_000, 60_000];
/** How long after a window's end its samples are still awaited before it is emitted. */
export const DEFAULT_ALLOWED_LATENESS_MS = 30_000;
/** Watermark lag behind the newest event time of the partition. */
export const DEFAULT_MAX_OUT_OF_ORDER_MS = 5_000;
export const DEFAULT_EMIT_CORRECTIONS = true;
/** Emitted windows are kept this long (of event time after their end) to absorb late samples. */
export const DEFAULT_CORRECTION_HORIZON_MS = 300_000;
export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];
export const DEFAULT_MAX_SERIES_PER_METRIC = 10_000;
export const DEFAULT_MAX_SERIES = 40_000;
export const DEFAULT_MAX_OVERFLOW_SERIES = 1_000;
export const DEFAULT_SERIES_IDLE_TIMEOUT_MS = 600_000;
/** OpenTelemetry SDKs' default maximum size of an exponential histogram. */
export const DEFAULT_MAX_EXPONENTIAL_BUCKETS = 160;
export const DEFAULT_LOG_COUNT_METRIC = 'sextant_log_records';

/** A recording rule: every series of `metric` also feeds the series `record` with only the kept labels. */
export interface PreAggregation {
  /** Name of the aggregate series (output metric name). */
  record: string;
  /** Input metric name whose series are summed. */
  metric: string;
  /** Labels to keep (all others are dropped). Exactly one of by/without. */
  by?: string[];
  /** Labels to drop (all others are kept). Exactly one of by/without. */
  without?: string[];
}

export interface AggregatorConfig {
  /** Tumbling window sizes in milliseconds, aligned to the Unix epoch. Positive integers, distinct. Default [10000, 60000]. */
  resolutionsMs: number[];
  /** Milliseconds the watermark must pass a window's end before the window is emitted. Default 30000. */
  allowedLatenessMs: number;
  /** Milliseconds the watermark trails the newest event time seen on the partition. Default 5000. */
  maxOutOfOrderMs: number;
  /** Whether late samples re-open an emitted window and re-emit it with revision + 1. Default true. */
  emitCorrections: boolean;
  /**
   * Milliseconds (of watermark after a window's end) an emitted window is kept for corrections; later samples
   * are dropped as late. Costs memory and state: about horizon / resolution windows per series and resolution.
   * At least allowedLatenessMs. Default 300000 (5 min).
   */
  correctionHorizonMs: number;
  /** Quantiles estimated for histograms, each in [0, 1], ascending. Default [0.5, 0.9, 0.99]. */
  quantiles: number[];
  /** Live series per (tenant, metric name); new series beyond it fold into the overflow series. Default 10000. */
  maxSeriesPerMetric: number;
  /** Live series per engine (input partition), overflow series not included. Default 40000. */
  maxSeries: number;
  /** Overflow series per engine; samples that would need another one are dropped (counted). Default 1000. */
  maxOverflowSeries: number;
  /**
   * Milliseconds of event time (watermark) without a sample after which a series with no open window is
   * expired, freeing its budget. At least correctionHorizonMs + allowedLatenessMs + the largest resolution, so
   * an expired series has nothing left to correct. Default 600000.
   */
  seriesIdleTimeoutMs: number;
  /** Largest bucket span of a merged exponential histogram (per sign); the scale is reduced to fit. Default 160. */
  maxExponentialBuckets: number;
  /** Recording rules evaluated per partition (each row carries shard = partition). Default none. */
  preAggregations: PreAggregation[];
  /** Name of the counter derived from log records. Default sextant_log_records. */
  logCountMetric: string;
}

export function defaultAggregatorConfig(): AggregatorConfig {
  return {
    resolutionsMs: [...DEFAULT_RESOLUTIONS_MS],
    allowedLatenessMs: DEFAULT_ALLOWED_LATENESS_MS,
    maxOutOfOrderMs: DEFAULT_MAX_OUT_OF_ORDER_MS,
    emitCorrections: DEFAULT_EMIT_CORRECTIONS,
    correctionHorizonMs: DEFAULT_CORRECTION_HORIZON_MS,
    quantiles: [...DEFAULT_QUANTILES],
    maxSeriesPerMetric: DEFAULT_MAX_SERIES_PER_METRIC,
    maxSeries: DEFAULT_MAX_SERIES,
    maxOverflowSeries: DEFAULT_MAX_OVERFLOW_SERIES,
    seriesIdleTimeoutMs: DEFAULT_SERIES_IDLE_TIMEOUT_MS,
    maxExponentialBuckets: DEFAULT_MAX_EXPONENTIAL_BUCKETS,
    preAggregations: [],
    logCountMetric: DEFAULT_LOG_COUNT_METRIC,
  };
}

export class AggregatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid aggregator config: ${problems.join('; ')}`);
    this.name = 'AggregatorConfigError';
  }
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function checkPreAggregation(rule: PreAggregation, index: number, problems: string[]): void {
  const where = `preAggregations[${index}]`;
  if (typeof rule.record !== 'string' || rule.record === '') problems.push(`${where}.record must be a non-empty string`);
  if (typeof rule.metric !== 'string' || rule.metric === '') problems.push(`${where}.metric must be a non-empty string`);
  if ((rule.by === undefined) === (rule.without === undefined)) problems.push(`${where} needs exactly one of by and without`);
  for (const field of ['by', 'without'] as const) {
    const labels = rule[field];
    if (labels !== undefined && (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || l === ''))) {
      problems.push(`${where}.${field} must be a list of label names`);
    }
  }
  if (rule.record === rule.metric) problems.push(`${where}.record must differ from its metric`);
}

/** Every problem of the config, empty when it is valid. */
export function validateAggregatorConfig(config: AggregatorConfig): string[] {
  const problems: string[] = [];
  const res = config.resolutionsMs;
  if (!Array.isArray(res) || res.length === 0 || res.some((r) => !isNonNegativeInteger(r) || r === 0)) {
    problems.push('resolutionsMs must be a non-empty list of positive integers');
  } else if (new Set(res).size !== res.length) {
    problems.push('resolutionsMs must be distinct');
  }
  for (const field of ['allowedLatenessMs', 'maxOutOfOrderMs', 'correctionHorizonMs', 'seriesIdleTimeoutMs'] as const) {
    if (!isNonNegativeInteger(config[field])) problems.push(`${field} must be a non-negative integer (milliseconds)`);
  }
  for (const field of ['maxSeriesPerMetric', 'maxSeries', 'maxOverflowSeries'] as const) {
    if (!isNonNegativeInteger(config[field]) || config[field] === 0) problems.push(`${field} must be a positive integer`);
  }
  if (typeof config.emitCorrections !== 'boolean') problems.push('emitCorrections must be a boolean');
  if (!isNonNegativeInteger(config.maxExponentialBuckets) || config.maxExponentialBuckets < 2) {
    problems.push('maxExponentialBuckets must be an integer of at least 2');
  }
  const q = config.quantiles;
  if (!Array.isArray(q) || q.some((x) => typeof x !== 'number' || !(x >= 0 && x <= 1))) {
    problems.push('quantiles must be numbers in [0, 1]');
  } else if (q.some((x, i) => i > 0 && x <= q[i - 1])) {
    problems.push('quantiles must be ascending and distinct');
  }
  if (typeof config.logCountMetric !== 'string' || config.logCountMetric === '') problems.push('logCountMetric must be a non-empty string');
  if (!Array.isArray(config.preAggregations)) problems.push('preAggregations must be a list');
  else config.preAggregations.forEach((rule, i) => checkPreAggregation(rule, i, problems));
  if (problems.length > 0) return problems;
  // Cross-field rules.
  if (config.maxSeriesPerMetric > config.maxSeries) problems.push('maxSeriesPerMetric must not exceed maxSeries');
  if (config.emitCorrections && config.correctionHorizonMs < config.allowedLatenessMs) {
    problems.push('correctionHorizonMs must be at least allowedLatenessMs when emitCorrections is on');
  }
  const needed = config.correctionHorizonMs + config.allowedLatenessMs + Math.max(...res);
  if (config.seriesIdleTimeoutMs < needed) {
    problems.push(`seriesIdleTimeoutMs must be at least correctionHorizonMs + allowedLatenessMs + the largest resolution (${needed})`);
  }
  return problems;
}

/** The defaults overlaid with `overrides`, validated. Throws AggregatorConfigError listing every problem. */
export function resolveAggregatorConfig(overrides: Partial<AggregatorConfig> = {}): AggregatorConfig {
  const config: AggregatorConfig = { ...defaultAggregatorConfig(), ...overrides };
  const problems = validateAggregatorConfig(config);
  if (problems.length > 0) throw new AggregatorConfigError(problems);
  return { ...config, resolutionsMs: [...config.resolutionsMs].sort((a, b) => a - b) };
}
