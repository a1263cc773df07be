/**
 * Publishes accepted log records to the ingest.logs topic as LogBatch envelopes: the records of one request are
 * grouped by stream (tenant, namespace, pod, container), each group goes out as one Kafka message (or a few,
 * within the configured envelope bounds) keyed by that stream, so one stream stays ordered in one partition and
 * Kafka's per-message cost is paid per envelope, not per record. Resolves only when Kafka has acknowledged every
 * envelope: that is when the HTTP client gets its 200. A record too large for any message is not sent; it is
 * handed back for the receiver to refuse by name.
 */
import { Inject, Injectable } from '@nestjs/common';
import { logStreamKey, type LogBatch, type LogRecord } from '@sextant/contracts';
import { EnvelopePacker, type OversizedRecord } from '@sextant/kafka';
import { StageRuntime, type PackedForTopic } from '@sextant/stage-runtime';

export type { PackedForTopic };

@Injectable()
export class LogPublisher {
  private readonly topic: string;
  private readonly packer: EnvelopePacker<LogRecord>;

  constructor(@Inject(StageRuntime) private readonly runtime: StageRuntime) {
    this.topic = runtime.topic('ingest.logs');
    const { envelopeMaxRecords, envelopeMaxBytes } = runtime.settings.producer;
    this.packer = new EnvelopePacker<LogRecord>(runtime.serde, runtime.envelopeSchemaId('ingest.logs'), { maxRecords: envelopeMaxRecords, maxBytes: envelopeMaxBytes }, (records): LogBatch => ({ records }));
  }

  /** Sends every record but those returned, which alone exceed the largest envelope. */
  async publish(records: LogRecord[]): Promise<OversizedRecord<LogRecord>[]> {
    if (records.length === 0) return [];
    const packed = await this.pack(records);
    await this.runtime.producer.send(packed.topic, packed.messages);
    return packed.tooLarge;
  }

  /** The envelopes publish() would send, for a caller that sends them itself (inside a transaction). */
  async pack(records: LogRecord[]): Promise<PackedForTopic<LogRecord>> {
    const packed = await this.packer.pack(records, memoizedStreamKey());
    return { topic: this.topic, messages: packed.messages, tooLarge: packed.tooLarge };
  }
}

/**
 * logStreamKey, computed once per stream of a request: the records of one OTLP resource share their Kubernetes
 * reference (or service name), so the key is looked up by that instead of being rebuilt for every record.
 */
function memoizedStreamKey(): (r: LogRecord) => string {
  const byTenant = new Map<string, Map<unknown, string>>();
  return (r) => {
    let memo = byTenant.get(r.tenant);
    if (!memo) {
      memo = new Map();
      byTenant.set(r.tenant, memo);
    }
    const identity: unknown = r.k8s ?? r.serviceName;
    let key = memo.get(identity);
    if (key === undefined) {
      key = logStreamKey(r);
      memo.set(identity, key);
    }
    return key;
  };
}
