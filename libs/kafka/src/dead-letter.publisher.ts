/**
 * Writes records a stage gave up on to the dead-letter topic: the value is an Avro DeadLetter
 * (libs/contracts/schemas/dead-letter.avsc) holding the original bytes, coordinates and the reason, the key
 * is the original key (so a replay keeps partitioning). publish() resolves only when Kafka acknowledged the
 * dead letter, so a consumer can count the source record as done only then.
 */
import type * as avsc from 'avsc';
import type { AvroSerde } from './avro.serde';
import { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
import type { RecordProducer } from './record.producer';

export interface DeadLetterInput {
  /** Why, in words (decoder or validation message). */
  reason: string;
  /** Machine-readable class: undecodable, invalid, too_large, rejected, ... */
  errorKind: string;
  /** Source topic, when the input came from Kafka. */
  topic?: string;
  partition?: number;
  /** Source offset as a decimal string. */
  offset?: string;
  /** Position in the source message's batch envelope; -1 (the default) for a message of one record. */
  index?: number;
  key?: Buffer | null;
  value?: Buffer | null;
  /** Original headers; see headersAsText for Kafka's binary headers. */
  headers?: Record<string, string>;
  /** Original record timestamp, ms since the epoch. */
  timestampMs?: number;
  tenant?: string;
}

/** Longest reason kept: a decoder may quote the whole input in its message. */
const MAX_REASON_CHARS = 2_000;

/** Kafka header values as the DeadLetter schema stores them: UTF-8 text, or `b64:` + base64 when not text. */
export function headersAsText(headers: Record<string, Buffer | string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (typeof v === 'string') {
      out[k] = v;
      continue;
    }
    const text = v.toString('utf8');
    out[k] = Buffer.from(text, 'utf8').equals(v) ? text : `b64:${v.toString('base64')}`;
  }
  return out;
}

export class DeadLetterPublisher {
  private readonly metrics: KafkaMetrics;
  private longsAreBigint: boolean | null = null;

  /**
   * @param deadLetterSchemaId registry id of the DeadLetter schema under `<topic>-value` (AvroSerde.register).
   * @param deps where the dead-letter counter goes; the producer's registry when absent.
   */
  constructor(
    private readonly producer: RecordProducer,
    private readonly serde: AvroSerde,
    readonly topic: string,
    readonly stage: string,
    private readonly deadLetterSchemaId: number,
    deps?: Pick<TelemetryDeps, 'metrics'>,
  ) {
    this.metrics = kafkaMetrics(deps?.metrics ?? producer.telemetry.metrics);
  }

  /** Resolves once Kafka acknowledged the dead letter; rejects like RecordProducer.send. */
  async publish(d: DeadLetterInput): Promise<void> {
    const long = await this.longOf();
    const value = {
      stage: this.stage,
      reason: d.reason.length > MAX_REASON_CHARS ? `${d.reason.slice(0, MAX_REASON_CHARS)}…` : d.reason,
      errorKind: d.errorKind,
      topic: d.topic ?? '',
      partition: d.partition ?? -1,
      offset: long(d.offset !== undefined ? BigInt(d.offset) : -1n),
      index: d.index ?? -1,
      key: d.key ?? null,
      value: d.value ?? null,
      headers: d.headers ?? {},
      timestampMs: long(BigInt(Math.trunc(d.timestampMs ?? 0))),
      failedAtMs: long(BigInt(Date.now())),
      tenant: d.tenant ?? '',
    };
    const encoded = await this.serde.encode(this.deadLetterSchemaId, value);
    await this.producer.send(this.topic, [{ key: d.key ?? null, value: encoded }]);
    this.metrics.deadLetterRecords.inc({ stage: this.stage, source_topic: d.topic ?? '', kind: d.errorKind });
  }

  /**
   * Avro longs are bigint or number depending on the avsc options the serde was built with; the writer
   * type of the DeadLetter schema says which.
   */
  private async longOf(): Promise<(v: bigint) => bigint | number> {
    if (this.longsAreBigint === null) {
      const type = await this.serde.writerType(this.deadLetterSchemaId);
      const offsetField = (type as avsc.types.RecordType).field('offset');
      this.longsAreBigint = offsetField ? offsetField.type.isValid(1n) : false;
    }
    return this.longsAreBigint ? (v) => v : (v) => Number(v);
  }
}
