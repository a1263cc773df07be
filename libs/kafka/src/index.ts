// Public API of @sextant/kafka: the only door to Kafka and the schema registry in Sextant.
export * from './kafka.config';
export * from './kafka.errors';
export { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
export { KafkaConnection, type TopicProvision } from './kafka.connection';
export { AvroSerde, type Compatibility } from './avro.serde';
export { RecordProducer, type OutboundMessage } from './record.producer';
export { DeadLetterPublisher, headersAsText, type DeadLetterInput } from './dead-letter.publisher';
export { OffsetTracker } from './offset.tracker';
export type { ConsumedRecord, DecodeMode } from './record.decoder';
export type { ConsumedBatch, BatchHandler } from './partition-batch.run';
export { BatchConsumer, type BatchConsumerDeps } from './batch.consumer';
export {
  KafkaBatchTransport,
  KafkaBatchContext,
  type KafkaBatchTransportOptions,
  type KafkaBatchTransportEvents,
  type KafkaBatchTransportStatus,
} from './kafka-batch.transport';
export { TransactionalOutput, type TransactionalCommit } from './transactional.output';
