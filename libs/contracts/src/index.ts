// Public API of @sextant/contracts: the Avro contracts between Sextant's stages. Generated types and schema
// constants (from schemas/*.avsc), avsc types with bigint longs, topic names and specs, and record keys.
export * from './generated';
export { avroType, avroTypeOptions, BIGINT_LONG_TYPE } from './avro-type';
export type { AvroSchemaInput } from './avro-type';
export {
  LOGICAL_TOPICS,
  TOPIC_SPECS,
  DEFAULT_TOPIC_PREFIX,
  DEFAULT_HIGH_VOLUME_PARTITIONS,
  DEFAULT_LOW_VOLUME_PARTITIONS,
  DEFAULT_INGEST_RETENTION_MS,
  DEFAULT_PROCESSED_RETENTION_MS,
  DEFAULT_ALERTING_RETENTION_MS,
  DEFAULT_DEADLETTER_RETENTION_MS,
  topicName,
  subjectName,
  envelopeSubjectName,
} from './topics';
export type { LogicalTopic, TopicKeyKind, TopicSpec, CleanupPolicy } from './topics';
export { logStreamKey, traceKey, seriesKey, metricSeriesKey, alertFingerprint, alertKey } from './keys';
export { logRecordContractViolation, ORIGINAL_TIMESTAMP_ATTRIBUTE, TIMESTAMP_OUT_OF_RANGE_FLAG } from './log-record-contract';
export { STAGE_NAMES, STAGES, nodeOptionsOf, stageSpec } from './stages';
export type { StageName, StageSpec, StageState, StageScaling } from './stages';
