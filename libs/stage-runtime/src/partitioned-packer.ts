/**
 * Packs records of one topic into its batch envelopes by partition: every record goes to the partition its key
 * maps to under Kafka's default murmur2 partitioner, the records that share a partition in as few messages as
 * the envelope bounds (SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS / _BYTES) allow, each message keyed by its first
 * record's key (which the partitioner maps to that same partition). So a key keeps one partition and its
 * records stay in order. The topic's partition count is read from the cluster, again every minute.
 */
import type { LogicalTopic } from '@sextant/contracts';
import { EnvelopePacker, partitionForKey, type AvroSerde, type OutboundMessage, type OversizedRecord } from '@sextant/kafka';
import type { StageRuntime } from './stage-runtime';

/** How long a partition count read from the cluster is used before it is read again. */
export const PARTITION_COUNT_TTL_MS = 60_000;

/** Envelopes for one topic, and the records too large for any of them. */
export interface PackedForTopic<R> {
  topic: string;
  messages: OutboundMessage[];
  tooLarge: OversizedRecord<R>[];
}

/** Where a record goes: its message key and its partition (as a string) among `partitions`. */
export interface Placement {
  readonly key: string;
  readonly partition: string;
}

export interface PartitionedPackerOptions<R> {
  /** Serde that encodes the envelopes (a faster writer of the same bytes, say). Default: the runtime's. */
  serde?: AvroSerde;
  /** Places a record (e.g. from a per-series cache). Default: its key's murmur2 partition, once per record. */
  place?: (record: R, partitions: number) => Placement;
}

export class PartitionedPacker<R> {
  readonly topic: string;
  private readonly packer: EnvelopePacker<R>;
  private partitions: { count: number; readAt: number } | undefined;

  constructor(
    private readonly runtime: StageRuntime,
    logical: LogicalTopic,
    wrap: (records: R[]) => unknown,
    private readonly keyOf: (record: R) => string,
    private readonly options: PartitionedPackerOptions<R> = {},
  ) {
    this.topic = runtime.topic(logical);
    const { envelopeMaxRecords, envelopeMaxBytes } = runtime.settings.producer;
    this.packer = new EnvelopePacker<R>(options.serde ?? runtime.serde, runtime.envelopeSchemaId(logical), { maxRecords: envelopeMaxRecords, maxBytes: envelopeMaxBytes }, wrap);
  }

  async pack(records: R[]): Promise<PackedForTopic<R>> {
    const partitions = await this.partitionCount();
    let place = this.options.place;
    if (place === undefined) {
      const placed = new Map<R, Placement>();
      place = (r: R): Placement => {
        let p = placed.get(r);
        if (p === undefined) {
          const key = this.keyOf(r);
          p = { key, partition: String(partitionForKey(key, partitions)) };
          placed.set(r, p);
        }
        return p;
      };
    }
    const at = place;
    const packed = await this.packer.pack(records, (r) => at(r, partitions).partition, (r) => at(r, partitions).key);
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
