export * from './stage-runtime';
export * from './run-stage';
export * from './stage-core.module';
export { loadStageSettings, sharedSections, type StageConfigOptions } from './stage-settings';
export { RethrowErrorsFilter } from './rethrow-errors.filter';
export { MetricBatchPublisher } from './metric-batch.publisher';
export { PartitionedPacker, PARTITION_COUNT_TTL_MS, type PackedForTopic, type PartitionedPackerOptions, type Placement } from './partitioned-packer';
