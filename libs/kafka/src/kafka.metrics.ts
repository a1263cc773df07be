/**
 * The Prometheus metrics of the Kafka transport, registered once per Registry whatever the number of
 * consumers and producers that share it (several BatchConsumers of one service report into the same series,
 * told apart by their labels). Also the telemetry every component takes from its caller.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What every component of this lib takes from its caller: where to log and where to register metrics. */
export interface TelemetryDeps {
  logger: Logger;
  metrics: Registry;
}

export interface KafkaMetrics {
  consumedRecords: Counter<'topic'>;
  producedRecords: Counter<'topic'>;
  deadLetterRecords: Counter<'stage' | 'source_topic' | 'kind'>;
  batchRecords: Histogram<'topic'>;
  batchSeconds: Histogram<'topic'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  handlerFailures: Counter<'topic'>;
  deferredRecords: Gauge<'topic' | 'partition'>;
  deferralPauses: Counter<'topic'>;
  lateAcks: Counter<'topic'>;
  abandonedSubBatches: Counter<'topic'>;
  refetches: Counter<'topic'>;
  producerBufferedRecords: Gauge;
  producerBufferedBytes: Gauge;
  producerBackpressure: Counter;
  producerSendSeconds: Histogram;
  producerRequests: Counter;
  producerBackgroundSends: Gauge;
  producerAbandonedSends: Counter;
  transactions: Counter<'outcome'>;
  transactionQueued: Gauge;
  transactionProducers: Gauge;
  transactionRebuilds: Counter;
  registryCachedIds: Gauge<'kind'>;
}

const byRegistry = new WeakMap<Registry, KafkaMetrics>();

export function kafkaMetrics(registry: Registry): KafkaMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const m: KafkaMetrics = {
    consumedRecords: new Counter({ name: 'sextant_kafka_consumed_records_total', help: 'Records fetched by batch consumers.', labelNames: ['topic'], registers }),
    producedRecords: new Counter({ name: 'sextant_kafka_produced_records_total', help: 'Records acknowledged by Kafka.', labelNames: ['topic'], registers }),
    deadLetterRecords: new Counter({
      name: 'sextant_deadletter_records_total',
      help: 'Records written to the dead-letter topic, by stage, source topic and error kind.',
      labelNames: ['stage', 'source_topic', 'kind'],
      registers,
    }),
    batchRecords: new Histogram({
      name: 'sextant_kafka_consumer_batch_records',
      help: 'Records per handler call (one sub-batch).',
      labelNames: ['topic'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'sextant_kafka_consumer_batch_seconds',
      help: 'Duration of one handler call (one sub-batch), including its dead-letter writes.',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'sextant_kafka_consumer_lag',
      help: 'Records behind the partition end: high watermark minus the last resolved offset minus one.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    handlerFailures: new Counter({ name: 'sextant_kafka_consumer_handler_failures_total', help: 'Failed handler calls (each is retried).', labelNames: ['topic'], registers }),
    deferredRecords: new Gauge({
      name: 'sextant_kafka_consumer_deferred_records',
      help: 'Records handled with a deferred acknowledgement and not yet acknowledged, per partition (bounded by maxDeferredRecords).',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    deferralPauses: new Counter({
      name: 'sextant_kafka_consumer_deferral_pauses_total',
      help: 'Times a partition stopped fetching because it held maxDeferredRecords unacknowledged records.',
      labelNames: ['topic'],
      registers,
    }),
    lateAcks: new Counter({
      name: 'sextant_kafka_consumer_late_acks_total',
      help: 'Deferred acknowledgements that arrived after their partition was revoked or re-read, and were ignored.',
      labelNames: ['topic'],
      registers,
    }),
    abandonedSubBatches: new Counter({
      name: 'sextant_kafka_consumer_abandoned_sub_batches_total',
      help: 'Sub-batches still in the handler when their work was abandoned (drain deadline, rebalance, seek); their signal was aborted.',
      labelNames: ['topic'],
      registers,
    }),
    refetches: new Counter({
      name: 'sextant_kafka_consumer_refetches_total',
      help: 'Partitions re-read from the group committed offset because a handler threw RefetchRequiredError.',
      labelNames: ['topic'],
      registers,
    }),
    producerBufferedRecords: new Gauge({ name: 'sextant_kafka_producer_buffered_records', help: 'Records accepted by the producer and not yet acknowledged.', registers }),
    producerBufferedBytes: new Gauge({ name: 'sextant_kafka_producer_buffered_bytes', help: 'Bytes accepted by the producer and not yet acknowledged.', registers }),
    producerBackpressure: new Counter({ name: 'sextant_kafka_producer_backpressure_rejections_total', help: 'send() calls rejected because the buffer was full.', registers }),
    producerSendSeconds: new Histogram({
      name: 'sextant_kafka_producer_send_seconds',
      help: 'Duration of one batched send to Kafka, until acknowledged or failed.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    producerRequests: new Counter({ name: 'sextant_kafka_producer_requests_total', help: 'Produce requests sent to brokers.', registers }),
    producerBackgroundSends: new Gauge({
      name: 'sextant_kafka_producer_background_sends',
      help: 'KafkaJS sends or connects still running after their callers timed out (at most one per producer).',
      registers,
    }),
    producerAbandonedSends: new Counter({ name: 'sextant_kafka_producer_abandoned_sends_total', help: 'Sends whose callers timed out before KafkaJS settled them.', registers }),
    transactions: new Counter({
      name: 'sextant_kafka_transactions_total',
      help: 'Transactions by outcome: committed, aborted (clean failure), unknown (producer rebuilt, refetch), cancelled, rejected (before it began).',
      labelNames: ['outcome'],
      registers,
    }),
    transactionQueued: new Gauge({ name: 'sextant_kafka_transaction_queued', help: 'Transactions waiting for or holding their transactional producer.', registers }),
    transactionProducers: new Gauge({ name: 'sextant_kafka_transaction_producers', help: 'Transactional producers open (one per replica, or one per input partition).', registers }),
    registryCachedIds: new Gauge({
      name: 'sextant_schema_registry_cached_ids',
      help: 'Schema ids a serde remembers: writer types (kind=writer) and ids the registry did not know (kind=unknown).',
      labelNames: ['kind'],
      registers,
    }),
    transactionRebuilds: new Counter({ name: 'sextant_kafka_transaction_producer_rebuilds_total', help: 'Transactional producers disconnected and recreated after a failed transaction.', registers }),
  };
  byRegistry.set(registry, m);
  return m;
}
