/**
 * Publishes accepted log records to the ingest.logs topic, Avro-encoded with the registered schema and keyed
 * by stream (tenant, namespace, pod, container) so one stream stays ordered in one partition. Resolves only
 * when Kafka has acknowledged every record: that is when the HTTP client gets its 200.
 */
import { Inject, Injectable } from '@nestjs/common';
import { logStreamKey, type LogRecord } from '@sextant/contracts';
import { StageRuntime } from '@sextant/stage-runtime';

@Injectable()
export class LogPublisher {
  private readonly topic: string;
  private readonly schemaId: number;

  constructor(@Inject(StageRuntime) private readonly runtime: StageRuntime) {
    this.topic = runtime.topic('ingest.logs');
    this.schemaId = runtime.schemaId('ingest.logs');
  }

  async publish(records: LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const messages = await Promise.all(records.map(async (r) => ({ key: logStreamKey(r), value: await this.runtime.serde.encode(this.schemaId, r) })));
    await this.runtime.producer.send(this.topic, messages);
  }
}
