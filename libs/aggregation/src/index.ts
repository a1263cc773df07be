// Public API of @sextant/aggregation: the metric aggregator's window engine (pure logic, no Kafka, no Nest).
export * from './aggregation.config';
export { MetricAggregator, DEFAULT_SOURCE_TOPIC, LOG_SOURCE_TOPIC } from './metric-aggregator';
export type { MetricAggregatorOptions, AggregatorStats } from './metric-aggregator';
export { AGGREGATOR_COUNTER_NAMES } from './aggregator-counters';
export type { AggregatorCounterName, AggregatorCounters } from './aggregator-counters';
export { MemoryAggregatorState } from './aggregator-state';
export type { AggregatorStateStore } from './aggregator-state';
export { bucketQuantile } from './explicit-histogram';
export { expQuantile, mergeExp, downscale as downscaleExp } from './exponential-histogram';
export type { ExpHistogram, ExpBuckets } from './exponential-histogram';
export { seriesLabelsOf, OVERFLOW_LABELS } from './series-labels';
