/**
 * Turns a fetched Kafka message into a ConsumedRecord: Avro through the registry ('avro') or the bytes as
 * they are ('raw'). A message that can never decode comes back as a failure to dead-letter (with the reason);
 * a message that cannot decode right now (registry unreachable) throws, so the batch is retried instead.
 */
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { AvroSerde } from './avro.serde';
import { UndecodableRecordError } from './kafka.errors';

export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  /** Offset as a decimal string (Kafka offsets are 64-bit). */
  offset: string;
  key: Buffer | null;
  value: T;
  headers: Record<string, Buffer | undefined>;
  /** Record timestamp, ms since the epoch as a decimal string. */
  timestamp: string;
}

/** 'avro': Confluent-framed Avro decoded through AvroSerde; 'raw': the value Buffer unchanged. */
export type DecodeMode = 'avro' | 'raw';

export type DecodeOutcome<T> = { ok: true; record: ConsumedRecord<T> } | { ok: false; reason: string };

export function normalizeHeaders(headers: IHeaders | undefined): Record<string, Buffer | undefined> {
  const out: Record<string, Buffer | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    out[k] = last === undefined ? undefined : typeof last === 'string' ? Buffer.from(last) : last;
  }
  return out;
}

export class RecordDecoder<T> {
  constructor(
    private readonly mode: DecodeMode,
    private readonly serde?: AvroSerde,
    /** Avro reader schema: values are resolved into it (schema evolution). The writer's schema when absent. */
    private readonly readerSchema?: object,
  ) {
    if (mode === 'avro' && !serde) throw new Error("decode mode 'avro' needs an AvroSerde");
  }

  /** Throws only when decoding may succeed later (RegistryUnavailableError). */
  async decode(topic: string, partition: number, m: KafkaMessage): Promise<DecodeOutcome<T>> {
    if (m.value === null) return { ok: false, reason: 'record has no value (tombstone)' };
    let value: T;
    if (this.mode === 'raw' || !this.serde) {
      value = m.value as T;
    } else {
      try {
        value = (await this.serde.decode<T>(m.value, this.readerSchema)).value;
      } catch (err) {
        if (err instanceof UndecodableRecordError) return { ok: false, reason: err.message };
        throw err;
      }
    }
    return {
      ok: true,
      record: { topic, partition, offset: m.offset, key: m.key ?? null, value, headers: normalizeHeaders(m.headers), timestamp: m.timestamp },
    };
  }
}
