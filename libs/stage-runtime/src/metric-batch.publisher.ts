/**
 * Publishes metric samples to the ingest.metrics topic as MetricBatch envelopes, for every stage that brings
 * samples in (ingest's receivers, the scraper). Every sample goes to the partition its series key
 * (metricSeriesKey) maps to under Kafka's default murmur2 partitioner, so a series keeps one partition and its
 * samples stay in order; the samples that share a partition go out together, as few messages as the envelope
 * bounds allow, each keyed by its first sample's series key (which the partitioner maps to that same
 * partition). Resolves only when Kafka has acknowledged every envelope. A sample too large for any message is
 * not sent; it is handed back for the caller to refuse.
 */
import { metricSeriesKey, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { EnvelopePacker, partitionForKey, type OutboundMessage, type OversizedRecord } from '@sextant/kafka';
import type { StageRuntime } from './stage-runtime';

/** How long a partition count read from the cluster is used before it is read again. */
export const PARTITION_COUNT_TTL_MS = 60_000;

/** Envelopes for one topic, and the records too large for any of them. */
export interface PackedForTopic<R> {
  topic: string;
  messages: OutboundMessage[];
  tooLarge: OversizedRecord<R>[];
}

export class MetricBatchPublisher {
  private readonly topic: string;
  private readonly packer: EnvelopePacker<MetricSample>;
  private partitions: { count: number; readAt: number } | undefined;

  constructor(private readonly runtime: StageRuntime) {
    this.topic = runtime.topic('ingest.metrics');
    const { envelopeMaxRecords, envelopeMaxBytes } = runtime.settings.producer;
    this.packer = new EnvelopePacker<MetricSample>(runtime.serde, runtime.envelopeSchemaId('ingest.metrics'), { maxRecords: envelopeMaxRecords, maxBytes: envelopeMaxBytes }, (records): MetricBatch => ({ records }));
  }

  /** Sends every sample but those returned, which alone exceed the largest envelope. */
  async publish(samples: MetricSample[]): Promise<OversizedRecord<MetricSample>[]> {
    if (samples.length === 0) return [];
    const packed = await this.pack(samples);
    await this.runtime.producer.send(packed.topic, packed.messages);
    return packed.tooLarge;
  }

  /** The envelopes publish() would send, for a caller that sends them itself (inside a transaction). */
  async pack(samples: MetricSample[]): Promise<PackedForTopic<MetricSample>> {
    const partitions = await this.partitionCount();
    const keys = new Map<MetricSample, string>();
    const keyOf = (s: MetricSample): string => {
      let key = keys.get(s);
      if (key === undefined) {
        key = metricSeriesKey(s);
        keys.set(s, key);
      }
      return key;
    };
    const packed = await this.packer.pack(samples, (s) => String(partitionForKey(keyOf(s), partitions)), keyOf);
    return { topic: this.topic, messages: packed.messages, tooLarge: packed.tooLarge };
  }

  private async partitionCount(): Promise<number> {
    const now = Date.now();
    if (this.partitions === undefined || now - this.partitions.readAt > PARTITION_COUNT_TTL_MS) {
      this.partitions = { count: await this.runtime.connection.partitionCount(this.topic), readAt: now };
    }
    return this.partitions.count;
  }
}
