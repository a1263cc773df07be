/** How a stage produces to and consumes from Kafka: batching, buffering limits, delivery and shutdown timing. */
import { enumVar, intVar, textVar } from '../env-var';
import { defineSection, type SectionValue } from '../config-section';

const MiB = 1024 * 1024;

export const producerSection = defineSection({
  title: 'Producer',
  vars: {
    lingerMs: intVar('SEXTANT_PRODUCER_LINGER_MS', 'How long records wait to share a batch with others.', 5, 0, 1000, 'ms'),
    maxBatchRecords: intVar('SEXTANT_PRODUCER_MAX_BATCH_RECORDS', 'Records in one produce request at most.', 10000, 1, 1000000, 'records'),
    maxBatchBytes: intVar('SEXTANT_PRODUCER_MAX_BATCH_BYTES', 'Bytes in one produce request at most (keep below the broker\'s message.max.bytes, 1 MB by default).', 1000000, 1024, 64 * MiB, 'bytes'),
    maxBufferedRecords: intVar('SEXTANT_PRODUCER_MAX_BUFFERED_RECORDS', 'Records waiting for Kafka at most; beyond it callers get back-pressure (HTTP 429).', 200000, 1, 10000000, 'records'),
    maxBufferedBytes: intVar('SEXTANT_PRODUCER_MAX_BUFFERED_BYTES', 'Bytes waiting for Kafka at most; beyond it callers get back-pressure (HTTP 429).', 128 * MiB, 1024, 4096 * MiB, 'bytes'),
    compression: enumVar('SEXTANT_PRODUCER_COMPRESSION', 'Compression codec of produced batches.', 'snappy', ['snappy', 'gzip', 'none']),
    envelopeMaxRecords: intVar('SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS', 'Records in one batch envelope (one Kafka message of one stream key) at most.', 2000, 1, 100000, 'records'),
    envelopeMaxBytes: intVar('SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES', 'Encoded bytes of one batch envelope at most; a single record larger than this is refused (HTTP partial success or 413, dead letter between stages). Keep below SEXTANT_PRODUCER_MAX_BATCH_BYTES.', 900000, 1024, 64 * MiB, 'bytes'),
    sendTimeoutMs: intVar('SEXTANT_PRODUCER_SEND_TIMEOUT_MS', 'How long a record may wait for Kafka\'s acknowledgement before its caller is told Kafka is unavailable (HTTP 503).', 10000, 100, 300000, 'ms'),
  },
  build: (f) => {
    // The producer's own rules (buffer holds a batch, send timeout beyond linger, ...) are the Kafka lib's,
    // checked at boot over the loaded values (loadStageSettings in libs/stage-runtime).
    const problems: string[] = [];
    if (f.envelopeMaxBytes > f.maxBatchBytes) problems.push('SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES must be <= SEXTANT_PRODUCER_MAX_BATCH_BYTES (an envelope is one Kafka message)');
    return { value: f, problems };
  },
});

export function consumerSection(stage: string) {
  return defineSection({
    title: 'Consumer',
    vars: {
      groupId: textVar('SEXTANT_CONSUMER_GROUP', 'Consumer group of the stage; replicas of a stage share it.', `sextant-${stage}`, { docDefault: 'sextant-<stage>' }),
      sessionTimeoutMs: intVar('SEXTANT_CONSUMER_SESSION_TIMEOUT_MS', 'Group session timeout: a replica silent this long loses its partitions, so it is also how long a killed replica\'s partitions stall (about 10 s by default; shorter evicts replicas on GC pauses or network blips).', 10000, 6000, 300000, 'ms'),
      heartbeatIntervalMs: intVar('SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS', 'Heartbeat interval to the group coordinator.', 1000, 100, 60000, 'ms'),
      maxBytesPerPartition: intVar('SEXTANT_CONSUMER_MAX_BYTES_PER_PARTITION', 'Bytes fetched per partition per request at most.', 4 * MiB, 1024, 64 * MiB, 'bytes'),
      partitionsConsumedConcurrently: intVar('SEXTANT_CONSUMER_PARTITIONS_CONCURRENTLY', 'Partitions whose batches are processed at the same time.', 3, 1, 64),
      subBatchSize: intVar('SEXTANT_CONSUMER_SUB_BATCH_SIZE', 'Records handed to the stage at once.', 2000, 1, 100000, 'records'),
      maxInFlightSubBatches: intVar('SEXTANT_CONSUMER_MAX_IN_FLIGHT', 'Sub-batches of one partition in processing at once.', 2, 1, 64),
      drainTimeoutMs: intVar('SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS', 'On SIGTERM, how long in-flight records may take to finish before offsets are committed.', 8000, 0, 300000, 'ms'),
      maxDeferredRecords: intVar('SEXTANT_CONSUMER_MAX_DEFERRED_RECORDS', 'Records of one partition handed over but not yet acknowledged (a sink\'s pending insert, a window) at most; beyond it fetching that partition pauses.', 50000, 1, 10000000, 'records'),
      stallTimeoutMs: intVar('SEXTANT_CONSUMER_STALL_TIMEOUT_MS', 'A partition that keeps failing without completing anything for this long marks the stage wedged (/healthz 503, so it is restarted).', 300000, 60000, 86400000, 'ms'),
      fromBeginning: enumVar('SEXTANT_CONSUMER_START', 'Where a new consumer group starts: earliest or latest.', 'earliest', ['earliest', 'latest']),
      retryBackoffMs: intVar('SEXTANT_CONSUMER_RETRY_BACKOFF_MS', 'First wait before a failed batch is retried (doubles up to 30 s).', 500, 10, 60000, 'ms'),
    },
    // The consumer's rules (heartbeat within the session, drain shorter than it, ...) are the Kafka lib's,
    // checked at boot over the config the stage really runs with (loadStageSettings in libs/stage-runtime).
    build: (f) => ({ value: { ...f, fromBeginning: f.fromBeginning === 'earliest' }, problems: [] }),
  });
}

/** What a stage's producer is configured with (the fields of the Producer section). */
export type ProducerSettings = SectionValue<typeof producerSection>;

/** What a stage's consumer is configured with (the fields of the Consumer section). */
export type ConsumerSettings = SectionValue<ReturnType<typeof consumerSection>>;
