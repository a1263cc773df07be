/**
 * Publishes metric samples to the ingest.metrics topic as MetricBatch envelopes, for every stage that brings
 * samples in (the scraper; ingest's receivers have a faster writer of their own): each sample to the partition
 * its series key (metricSeriesKey) maps to (PartitionedPacker), so a series keeps one partition and its samples
 * stay in order. Resolves only when Kafka has acknowledged every envelope. A sample too large for any message
 * is not sent; it is handed back for the caller to refuse.
 */
import { metricSeriesKey, type MetricBatch, type MetricSample } from '@sextant/contracts';
import type { OversizedRecord } from '@sextant/kafka';
import { PartitionedPacker } from './partitioned-packer';
import type { StageRuntime } from './stage-runtime';

export class MetricBatchPublisher {
  private readonly packer: PartitionedPacker<MetricSample>;

  constructor(private readonly runtime: StageRuntime) {
    this.packer = new PartitionedPacker<MetricSample>(runtime, 'ingest.metrics', (records): MetricBatch => ({ records }), metricSeriesKey);
  }

  /** Sends every sample but those returned, which alone exceed the largest envelope. */
  async publish(samples: MetricSample[]): Promise<OversizedRecord<MetricSample>[]> {
    if (samples.length === 0) return [];
    const packed = await this.packer.pack(samples);
    await this.runtime.producer.send(packed.topic, packed.messages);
    return packed.tooLarge;
  }
}
