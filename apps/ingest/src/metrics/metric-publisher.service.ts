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
import { partitionForKey, type OversizedRecord } from '@sextant/kafka';
import { seriesScratchOf } from '@sextant/remote-write';
import { PartitionedPacker, StageRuntime, type PackedForTopic, type Placement } from '@sextant/stage-runtime';
import { metricBatchSerde } from './metric-batch.writer';

/** Where the samples of one series go: its key, and its partition among `partitions`. */
interface SeriesPlacement extends Placement {
  readonly tenant: string;
  readonly name: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly partitions: number;
}

/**
 * The series key and partition of a sample, computed once per series: the samples of a remote-write series
 * share one attributes object, which carries a scratch object for the series (seriesScratchOf, kept across
 * requests), and the placement is kept there with the tenant, name, resource and partition count it is for.
 * Other samples (OTLP's, one attributes object each) are placed afresh.
 */
function seriesOf(s: MetricSample, partitions: number): SeriesPlacement {
  const scratch = seriesScratchOf(s.attributes);
  const known = scratch?.['placement'] as SeriesPlacement | undefined;
  if (known !== undefined && known.tenant === s.tenant && known.name === s.name && known.resource === s.resource && known.partitions === partitions) return known;
  const key = metricSeriesKey(s);
  const placement: SeriesPlacement = { tenant: s.tenant, name: s.name, resource: s.resource, partitions, key, partition: String(partitionForKey(key, partitions)) };
  if (scratch !== undefined && Object.isFrozen(s.resource)) scratch['placement'] = placement;
  return placement;
}

@Injectable()
export class MetricPublisher {
  private readonly packer: PartitionedPacker<MetricSample>;

  constructor(@Inject(StageRuntime) private readonly runtime: StageRuntime) {
    const serde = metricBatchSerde(runtime.serde, runtime.envelopeSchemaId('ingest.metrics'));
    this.packer = new PartitionedPacker<MetricSample>(runtime, 'ingest.metrics', (records): MetricBatch => ({ records }), metricSeriesKey, { serde, place: seriesOf });
  }

  /** Sends every sample but those returned, which alone exceed the largest envelope. */
  async publish(samples: MetricSample[]): Promise<OversizedRecord<MetricSample>[]> {
    if (samples.length === 0) return [];
    const packed = await this.pack(samples);
    await this.runtime.producer.send(packed.topic, packed.messages);
    return packed.tooLarge;
  }

  /** The envelopes publish() would send, for a caller that sends them itself (inside a transaction). */
  pack(samples: MetricSample[]): Promise<PackedForTopic<MetricSample>> {
    return this.packer.pack(samples);
  }
}
