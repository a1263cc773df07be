// Public API of @sextant/state: per-partition state for stateful stages, checkpointed through a compacted changelog.
export * from './state-store.config';
export { jsonStateCodec, avroStateCodec, type StateCodec } from './state.codec';
export { stateMetrics, type StateMetrics } from './state.metrics';
export { PartitionStateStore, type SetOutcome, type RestoreResult, type CheckpointedStore } from './partition-state.store';
export { StatefulOutput, DEFAULT_SETTLE_TIMEOUT_MS, type StageOutput, type StatefulOutputOptions } from './stateful.output';
