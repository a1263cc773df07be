// Builds avsc types whose Avro `long` is a JavaScript `bigint`. Our longs are nanosecond timestamps (≈1.7e18,
// far above Number.MAX_SAFE_INTEGER), which avsc's stock long type refuses to decode ("potential precision
// loss"), so every encoder and decoder of Sextant, including the schema-registry client that resolves writer
// schemas, must build its types with these options. The long type is avsc's `LongType.__with`; it is routed
// in through a `typeHook` rather than a shared `registry` because (1) avsc adds every named type to the
// registry it is given, so a registry shared across schemas fails with "duplicate type name" as soon as two
// versions of one record are parsed (kafkajs/confluent-schema-registry#75), and (2) the registry is consulted
// only for the string form "long", not for `{"type": "long"}` (mtth/avsc#485).
import * as avsc from 'avsc';
import { installShortAsciiStringWriter } from './avro-string-writer';

installShortAsciiStringWriter();

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

/** Parses what avsc hands `fromJSON`: schema defaults (numbers) and our own `toJSON` output (number or string). */
function bigintFromJson(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new Error(`not an Avro long: ${String(value)}`);
}

/**
 * The 8 bytes avsc asks for when it writes a long. avsc packs them into its output at once and keeps no
 * reference (AbstractLongType._write → Tap.packLongBytes), so one scratch buffer serves every write instead of
 * an allocation per long (several per log record).
 */
const LONG_SCRATCH = Buffer.alloc(8);

/**
 * The Avro long type of Sextant: values are `bigint` in the signed 64-bit range. JSON renders safe integers as
 * numbers and larger ones as decimal strings, so that avsc's clone (`fromJSON(toJSON(v))`) stays exact.
 */
export const BIGINT_LONG_TYPE: avsc.types.LongType = avsc.types.LongType.__with({
  fromBuffer: (buf: Buffer): bigint => buf.readBigInt64LE(0),
  toBuffer: (value: bigint): Buffer => {
    LONG_SCRATCH.writeBigInt64LE(value);
    return LONG_SCRATCH;
  },
  fromJSON: bigintFromJson,
  toJSON: (value: bigint): number | string =>
    value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString(),
  isValid: isInt64,
  compare: (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0),
});

/** Routes both spellings of long (`"long"`, `{"type": "long", ...}`) to the bigint long type. */
function bigintLongHook(schema: avsc.Schema): avsc.Type | undefined {
  if (schema === 'long') return BIGINT_LONG_TYPE;
  if (typeof schema === 'object' && schema !== null && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'long') {
    return BIGINT_LONG_TYPE;
  }
  return undefined;
}

/**
 * The `Type.forSchema` options every Sextant codec uses (pass the same to the schema-registry client as its
 * AVRO / forSchemaOptions). A fresh object each call, without a registry, so avsc's mutation of the options
 * it receives never leaks between schemas. Logical types on long (timestamp-millis, ...) decode as plain
 * bigint, as the generated types say.
 */
export function avroTypeOptions(): Partial<avsc.ForSchemaOptions> {
  return { typeHook: bigintLongHook, wrapUnions: 'auto' };
}

/** A schema as avroType accepts it: parsed JSON (the generated `*_SCHEMA` constants included) or JSON text. */
export type AvroSchemaInput = string | object;

const byIdentity = new WeakMap<object, avsc.Type>();
const byName = new Map<string, { text: string; type: avsc.Type }[]>();

function schemaName(schema: object): string {
  const { name, namespace } = schema as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return '';
  return name.includes('.') || typeof namespace !== 'string' || namespace === '' ? name : `${namespace}.${name}`;
}

/**
 * Returns the avsc type of a schema with bigint longs, cached by schema full name: the same name with the same
 * schema text returns the same type; a different text under a known name (another version of the record, an
 * evolution reader) gets its own type alongside.
 */
export function avroType(schema: AvroSchemaInput): avsc.Type {
  const parsed: object = typeof schema === 'string' ? (JSON.parse(schema) as object) : schema;
  const known = byIdentity.get(parsed);
  if (known) return known;
  const name = schemaName(parsed);
  const text = JSON.stringify(parsed);
  const versions = byName.get(name) ?? [];
  let entry = versions.find((v) => v.text === text);
  if (!entry) {
    entry = { text, type: avsc.Type.forSchema(parsed as avsc.Schema, avroTypeOptions()) };
    versions.push(entry);
    byName.set(name, versions);
  }
  if (typeof schema !== 'string') byIdentity.set(parsed, entry.type);
  return entry.type;
}
