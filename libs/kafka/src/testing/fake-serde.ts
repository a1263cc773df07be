/**
 * An in-memory stand-in for AvroSerde in unit specs (not part of the public API): schemas registered under
 * ids in memory, the same Confluent framing, the same error classes for bytes that can never decode.
 */
import * as avsc from 'avsc';
import type { AvroSerde } from '../avro.serde';
import { UndecodableRecordError } from '../kafka.errors';

export class FakeSerde {
  private readonly types = new Map<number, avsc.Type>();

  register(id: number, schema: object): this {
    this.types.set(id, avsc.Type.forSchema(schema as avsc.Schema));
    return this;
  }

  asSerde(): AvroSerde {
    return this as unknown as AvroSerde;
  }

  async writerType(id: number): Promise<avsc.Type> {
    const t = this.types.get(id);
    if (!t) throw new UndecodableRecordError(`schema id ${id} is not in the registry`);
    return t;
  }

  async encode(id: number, value: unknown): Promise<Buffer> {
    const payload = (await this.writerType(id)).toBuffer(value);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(id, 1);
    return Buffer.concat([head, payload]);
  }

  async decode<T>(buf: Buffer, readerSchema?: object): Promise<{ value: T; schemaId: number }> {
    if (buf.length < 5 || buf[0] !== 0) throw new UndecodableRecordError('magic byte is not 0 (not Confluent-framed Avro)');
    const schemaId = buf.readUInt32BE(1);
    const writer = await this.writerType(schemaId);
    try {
      if (!readerSchema) return { value: writer.fromBuffer(buf.subarray(5)) as T, schemaId };
      const reader = avsc.Type.forSchema(readerSchema as avsc.Schema);
      return { value: reader.fromBuffer(buf.subarray(5), reader.createResolver(writer)) as T, schemaId };
    } catch (err) {
      throw new UndecodableRecordError(`does not decode: ${String(err)}`);
    }
  }
}
