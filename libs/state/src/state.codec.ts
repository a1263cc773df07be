/**
 * How a store's values become changelog bytes and back. JSON is the default: state is private to one stage,
 * read back only by the same stage, so it needs no registry; a stage whose state must evolve under a schema
 * can pass an Avro type (avroStateCodec). Sizes of the encoded bytes are what the store's byte bound counts.
 */
import type * as avsc from 'avsc';

export interface StateCodec<V> {
  encode(value: V): Buffer;
  decode(bytes: Buffer): V;
}

export function jsonStateCodec<V>(): StateCodec<V> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    decode: (bytes) => JSON.parse(bytes.toString('utf8')) as V,
  };
}

/** Plain Avro binary of one type (no registry framing: the changelog is read by the stage that wrote it). */
export function avroStateCodec<V>(type: avsc.Type): StateCodec<V> {
  return {
    encode: (value) => type.toBuffer(value),
    decode: (bytes) => type.fromBuffer(bytes) as V,
  };
}
