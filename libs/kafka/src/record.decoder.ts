/**
 * Turns a fetched Kafka message into ConsumedRecords: Avro through the registry ('avro') or the bytes as they
 * are ('raw'). On a topic with a batch envelope (a record schema with one `records` array), a message is either
 * an envelope or a single record (third-party producers), told apart by the writer schema's full name; an
 * envelope flattens into one record per element, each resolved into the reader record schema, with its index.
 * A message that can never decode comes back as a failure to dead-letter whole (with the reason); a message
 * that cannot decode right now (registry unreachable) throws, so the batch is retried instead.
 */
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { AvroSerde } from './avro.serde';
import { UndecodableRecordError } from './kafka.errors';

export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  /** Offset as a decimal string (Kafka offsets are 64-bit). */
  offset: string;
  /**
   * Position of the record inside its message's batch envelope, -1 when the message held this one record.
   * (topic, partition, offset, index) identifies a record.
   */
  index: number;
  key: Buffer | null;
  value: T;
  headers: Record<string, Buffer | undefined>;
  /** Record timestamp, ms since the epoch as a decimal string. */
  timestamp: string;
}

/** 'avro': Confluent-framed Avro decoded through AvroSerde; 'raw': the value Buffer unchanged. */
export type DecodeMode = 'avro' | 'raw';

/** A message decodes into its records (one, or an envelope's, possibly none), or fails as a whole. */
export type DecodeOutcome<T> = { ok: true; records: ConsumedRecord<T>[] } | { ok: false; reason: string };

export interface RecordDecoderOptions {
  mode: DecodeMode;
  /** Required for mode 'avro'. */
  serde?: AvroSerde;
  /** Avro reader schema single records are resolved into (schema evolution). The writer's schema when absent. */
  readerSchema?: object;
  /**
   * Reader schema of the topic's batch envelope: a record whose field `records` is an array of the record
   * schema. Messages whose writer schema has the same full name are flattened. None: every message is one record.
   */
  envelopeSchema?: object;
  /**
   * Registry id of the single-record schema under `<topic>-value`: a record dead-lettered out of an envelope is
   * re-encoded alone with it, so it can be replayed. None: its dead letter carries the envelope's bytes.
   */
  recordSchemaId?: number;
}

export function normalizeHeaders(headers: IHeaders | undefined): Record<string, Buffer | undefined> {
  const out: Record<string, Buffer | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    out[k] = last === undefined ? undefined : typeof last === 'string' ? Buffer.from(last) : last;
  }
  return out;
}

/** Full name (namespace.name) of a named Avro schema. */
export function avroFullName(schema: object): string {
  const s = schema as { name?: unknown; namespace?: unknown };
  if (typeof s.name !== 'string') throw new Error('an Avro envelope schema needs a name');
  if (s.name.includes('.') || typeof s.namespace !== 'string' || s.namespace === '') return s.name;
  return `${s.namespace}.${s.name}`;
}

export class RecordDecoder<T> {
  private readonly envelopeName: string | null;

  constructor(private readonly o: RecordDecoderOptions) {
    if (o.mode === 'avro' && !o.serde) throw new Error("decode mode 'avro' needs an AvroSerde");
    this.envelopeName = o.envelopeSchema ? avroFullName(o.envelopeSchema) : null;
    if (o.envelopeSchema) {
      const fields = (o.envelopeSchema as { fields?: { name: string; type: unknown }[] }).fields ?? [];
      const records = fields.find((f) => f.name === 'records')?.type as { type?: unknown } | undefined;
      if (records?.type !== 'array') throw new Error(`envelope schema ${this.envelopeName} needs an array field "records"`);
    }
  }

  /** Throws only when decoding may succeed later (RegistryUnavailableError). */
  async decode(topic: string, partition: number, m: KafkaMessage): Promise<DecodeOutcome<T>> {
    if (m.value === null) return { ok: false, reason: 'record has no value (tombstone)' };
    const headers = normalizeHeaders(m.headers);
    const record = (value: T, index: number): ConsumedRecord<T> => ({ topic, partition, offset: m.offset, index, key: m.key ?? null, value, headers, timestamp: m.timestamp });
    const serde = this.o.serde;
    if (this.o.mode === 'raw' || !serde) return { ok: true, records: [record(m.value as T, -1)] };
    try {
      if (await this.isEnvelope(serde, m.value)) {
        const { value } = await serde.decode<{ records: T[] }>(m.value, this.o.envelopeSchema);
        return { ok: true, records: value.records.map((r, i) => record(r, i)) };
      }
      return { ok: true, records: [record((await serde.decode<T>(m.value, this.o.readerSchema)).value, -1)] };
    } catch (err) {
      if (err instanceof UndecodableRecordError) return { ok: false, reason: err.message };
      throw err;
    }
  }

  /**
   * The bytes a dead letter of `record` carries: the message itself for a single record; for a record out of an
   * envelope, that record alone framed with the single-record schema, or the envelope when no id was given.
   */
  async deadLetterValue(record: ConsumedRecord<T>, messageValue: Buffer | null): Promise<Buffer | null> {
    if (record.index < 0 || this.o.recordSchemaId === undefined || !this.o.serde) return messageValue;
    return this.o.serde.encode(this.o.recordSchemaId, record.value);
  }

  private async isEnvelope(serde: AvroSerde, buf: Buffer): Promise<boolean> {
    if (this.envelopeName === null || buf.length < 5 || buf[0] !== 0) return false;
    const id = buf.readUInt32BE(1);
    try {
      return (await serde.writerType(id)).name === this.envelopeName;
    } catch {
      // Unknown id or registry down: decode() classifies the failure (throws to dead-letter or to retry);
      // if the registry answers after all, ask again rather than guess the form.
      await serde.decode(buf);
      return (await serde.writerType(id)).name === this.envelopeName;
    }
  }
}
