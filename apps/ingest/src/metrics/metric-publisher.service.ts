/**
 * Publishes accepted metric samples to the ingest.metrics topic as MetricBatch envelopes. Every sample goes to
 * the partition its series key (metricSeriesKey) maps to under Kafka's default murmur2 partitioner, so a series
 * keeps one partition and its samples stay in order; the samples of one request that share a partition go out
 * together, as few messages as the envelope bounds allow, each keyed by its first sample's series key (which the
 * partitioner maps to that same partition). A remote-write request of thousands of series therefore costs a
 * handful of Kafka messages, not one per series. Resolves only when Kafka has acknowledged every envelope. A
 * sample too large for any message is not sent; it is handed back for the receiver to refuse.
 */
import { Inject, Injectable } from '@nestjs/common';
import { metricSeriesKey, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { EnvelopePacker, partitionForKey, type OversizedRecord } from '@sextant/kafka';
import { seriesScratchOf } from '@sextant/remote-write';
import { StageRuntime } from '@sextant/stage-runtime';
import type { PackedForTopic } from '../logs/log-publisher.service';
import { metricBatchSerde } from './metric-batch.writer';

/** How long a partition count read from the cluster is used before it is read again. */
export const PARTITION_COUNT_TTL_MS = 60_000;

/** Where the samples of one series go: its key, and its partition among `partitions`. */
interface SeriesPlacement {
  readonly tenant: string;
  readonly name: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly partitions: number;
  readonly key: string;
  readonly partition: string;
}

@Injectable()
export class MetricPublisher {
  private readonly topic: string;
  private readonly packer: EnvelopePacker<MetricSample>;
  private partitions: { count: number; readAt: number } | undefined;

  constructor(@Inject(StageRuntime) private readonly runtime: StageRuntime) {
    this.topic = runtime.topic('ingest.metrics');
    const { envelopeMaxRecords, envelopeMaxBytes } = runtime.settings.producer;
    const schemaId = runtime.envelopeSchemaId('ingest.metrics');
    this.packer = new EnvelopePacker<MetricSample>(metricBatchSerde(runtime.serde, schemaId), schemaId, { maxRecords: envelopeMaxRecords, maxBytes: envelopeMaxBytes }, (records): MetricBatch => ({ records }));
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
    const packed = await this.packer.pack(samples, (s) => this.seriesOf(s, partitions).partition, (s) => this.seriesOf(s, partitions).key);
    return { topic: this.topic, messages: packed.messages, tooLarge: packed.tooLarge };
  }

  /**
   * The series key and partition of a sample, computed once per series: the samples of a remote-write series
   * share one attributes object, which carries a scratch object for the series (seriesScratchOf, kept across
   * requests), and the placement is kept there with the tenant, name, resource and partition count it is for.
   * Other samples (OTLP's, one attributes object each) are placed afresh.
   */
  private seriesOf(s: MetricSample, partitions: number): SeriesPlacement {
    const scratch = seriesScratchOf(s.attributes);
    const known = scratch?.['placement'] as SeriesPlacement | undefined;
    if (known !== undefined && known.tenant === s.tenant && known.name === s.name && known.resource === s.resource && known.partitions === partitions) return known;
    const key = metricSeriesKey(s);
    const placement: SeriesPlacement = { tenant: s.tenant, name: s.name, resource: s.resource, partitions, key, partition: String(partitionForKey(key, partitions)) };
    if (scratch !== undefined && Object.isFrozen(s.resource)) scratch['placement'] = placement;
    return placement;
  }

  private async partitionCount(): Promise<number> {
    const now = Date.now();
    if (this.partitions === undefined || now - this.partitions.readAt > PARTITION_COUNT_TTL_MS) {
      this.partitions = { count: await this.runtime.connection.partitionCount(this.topic), readAt: now };
    }
    return this.partitions.count;
  }
}
