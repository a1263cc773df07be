// Public API of @sextant/kafka: the only door to Kafka and the schema registry in Sextant.
export * from './kafka.config';
export * from './kafka.errors';
export { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
export { KafkaConnection, type TopicProvision } from './kafka.connection';
export { AvroSerde, type Compatibility, type Decoded } from './avro.serde';
export { RecordProducer, type OutboundMessage } from './record.producer';
export { DeadLetterPublisher, headersAsText, type DeadLetterInput } from './dead-letter.publisher';
export { OffsetTracker } from './offset.tracker';
export type { ConsumedRecord, DecodeMode } from './record.decoder';
export type { ConsumedBatch, BatchHandler, DeliveryHandle, PartitionLifecycle, TopicPartition } from './consumed-batch';
export { BatchConsumer, type BatchConsumerDeps } from './batch.consumer';
export {
  KafkaBatchTransport,
  KafkaBatchContext,
  type KafkaBatchTransportOptions,
  type KafkaBatchTransportEvents,
  type KafkaBatchTransportStatus,
} from './kafka-batch.transport';
export { EnvelopePacker, type EnvelopeLimits, type OversizedRecord, type PackedEnvelopes } from './envelope.packer';
export {
  TransactionalOutput,
  DEFAULT_MAX_QUEUED_TRANSACTIONS,
  DEFAULT_MAX_TRANSACTION_PRODUCERS,
  DEFAULT_TRANSACTION_TIMEOUT_MS,
  DEFAULT_WEDGED_AFTER_MS,
  type TransactionalCommit,
  type TransactionalIdMode,
  type TransactionalOutputConfig,
} from './transactional.output';
export { GroupMembership, type GroupMembershipConfig } from './group-membership';
export { createMurmur2Partitioner, murmur2, partitionForKey } from './murmur2.partitioner';
