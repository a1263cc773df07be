/**
 * What every signal's protobuf reader shares: the wire decoding of a whole request (protobufjs, against the
 * vendored official schema, errors as OtlpDecodeError), and the conversion of protobufjs's message objects
 * (Long for 64-bit fields, a oneof getter for AnyValue) into exact bigints and tagged values.
 */
import type * as protobuf from 'protobufjs';
import { MAX_ANY_VALUE_DEPTH, type OtlpAnyValue, type OtlpKeyValue } from './otlp-common.model';
import { OtlpDecodeError } from './otlp-decode.error';

/** A 64-bit integer as protobufjs hands it out: a Long when the `long` package is present, else a number. */
export type PbInt64 = { readonly low: number; readonly high: number } | number;

export interface PbAnyValue {
  /** Name of the oneof member that is set (protobufjs virtual oneof property), undefined when none is. */
  readonly value?: string;
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: PbInt64;
  readonly doubleValue?: number;
  readonly bytesValue?: Uint8Array;
  readonly arrayValue?: { readonly values?: readonly PbAnyValue[] } | null;
  readonly kvlistValue?: { readonly values?: readonly PbKeyValue[] } | null;
}

export interface PbKeyValue {
  readonly key?: string;
  readonly value?: PbAnyValue | null;
}

/** InstrumentationScope as protobufjs decodes it. */
export interface PbScope {
  readonly name?: string;
  readonly version?: string;
  readonly attributes?: readonly PbKeyValue[];
}

export const EMPTY_BYTES = new Uint8Array(0);

/** The bytes decoded as `type` (an Export*ServiceRequest); undecodable bytes throw OtlpDecodeError. */
export function decodeOtlpProtobuf<T>(type: protobuf.Type, buf: Uint8Array): T {
  try {
    return type.decode(buf) as unknown as T;
  } catch (err) {
    throw new OtlpDecodeError(`invalid OTLP protobuf ${type.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function readKeyValues(kvs: readonly PbKeyValue[] | undefined, depth: number): OtlpKeyValue[] {
  if (!kvs) return [];
  return kvs.map((kv) => ({ key: kv.key ?? '', value: kv.value ? readAnyValue(kv.value, depth) : { kind: 'empty' } }));
}

export function readAnyValue(v: PbAnyValue, depth: number): OtlpAnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  switch (v.value) {
    case 'stringValue':
      return { kind: 'string', value: v.stringValue ?? '' };
    case 'boolValue':
      return { kind: 'bool', value: v.boolValue === true };
    case 'intValue':
      return { kind: 'int', value: int64(v.intValue) };
    case 'doubleValue':
      return { kind: 'double', value: v.doubleValue ?? 0 };
    case 'bytesValue':
      return { kind: 'bytes', value: v.bytesValue ?? EMPTY_BYTES };
    case 'arrayValue':
      return { kind: 'array', values: (v.arrayValue?.values ?? []).map((x) => readAnyValue(x, depth + 1)) };
    case 'kvlistValue':
      return { kind: 'kvlist', values: readKeyValues(v.kvlistValue?.values, depth + 1) };
    default:
      return { kind: 'empty' };
  }
}

/** The 64 bits as an unsigned bigint (fixed64, uint64). */
export function uint64(v: PbInt64 | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return BigInt.asUintN(64, BigInt(v));
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

/** The 64 bits as a signed bigint (int64, sfixed64). */
export function int64(v: PbInt64 | undefined): bigint {
  return BigInt.asIntN(64, uint64(v));
}
