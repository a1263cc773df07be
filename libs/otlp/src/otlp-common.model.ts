/**
 * The values every OTLP signal shares once read from either encoding: AnyValue, KeyValue and ids. 64-bit
 * integers are bigint (exact), ids are still as their encoding carries them.
 */

/** Deepest AnyValue nesting (arrays in kvlists in arrays...) accepted before the request is refused as
 * malformed; it bounds the recursion a hostile request can cause. Kept below protobufjs's own limit of 100
 * message levels (two per AnyValue level) so both encodings fail the same way, with our message. */
export const MAX_ANY_VALUE_DEPTH = 32;

/** An OTLP AnyValue. `empty` is an AnyValue with no value set (allowed by the spec, means null). */
export type OtlpAnyValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly values: readonly OtlpAnyValue[] }
  | { readonly kind: 'kvlist'; readonly values: readonly OtlpKeyValue[] }
  | { readonly kind: 'empty' };

/** One attribute. Keys should be unique; when they are not, the last one wins. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

/** An id as its encoding carries it: raw bytes (protobuf), or lowercase hex (OTLP/JSON: no round trip through bytes). */
export type OtlpId = Uint8Array | string;
