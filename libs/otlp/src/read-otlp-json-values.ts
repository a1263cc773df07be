/**
 * The OTLP/JSON value rules every signal's JSON reader applies (the proto3 JSON mapping as OTLP/JSON narrows
 * it): lowerCamelCase keys with the snake_case names accepted too, 64-bit integers as decimal strings or
 * numbers (converted exactly), enums as integers or names, bytes as base64, ids as hex, doubles as numbers or
 * "NaN"/"Infinity"/"-Infinity", null meaning "not set". A value of the wrong JSON type is a malformed request:
 * OtlpDecodeError naming its path.
 */
import { MAX_ANY_VALUE_DEPTH, type OtlpAnyValue, type OtlpKeyValue } from './otlp-common.model';
import { OtlpDecodeError } from './otlp-decode.error';
import { parseOtlpJsonText } from './parse-otlp-json-text';

export type JsonObject = Readonly<Record<string, unknown>>;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const INT32_MIN = -(1n << 31n);
const INT32_MAX = (1n << 31n) - 1n;
const UINT32_MAX = 0xffffffffn;
const DECIMAL_UINT = /^[0-9]+$/;
const DECIMAL_INT = /^-?[0-9]+$/;
const HEX = /^[0-9a-fA-F]*$/;
const UPPER_HEX = /[A-F]/;
const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;
const ANY_VALUE_KINDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;

/** The request object of OTLP/JSON given as text, as UTF-8 bytes, or as an already parsed value (whose big
 * numbers may then be inexact). */
export function readOtlpJsonRoot(input: string | object): JsonObject {
  const root =
    typeof input === 'string'
      ? parseOtlpJsonText(input)
      : input instanceof Uint8Array
        ? parseOtlpJsonText(decodeUtf8(input))
        : input;
  return asObject(root, '(root)') ?? {};
}

/** The member under its lowerCamelCase name, else under its proto (snake_case) name. */
export function field(obj: JsonObject, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v === undefined || v === null ? obj[snake] : v;
}

/** Which of the named members (a proto oneof) are set; more than one is a malformed request. */
export function oneofMember<K extends string>(obj: JsonObject, names: readonly (readonly [K, string])[], path: string, what: string): K | undefined {
  const present = names.filter(([camel, snake]) => {
    const v = field(obj, camel, snake);
    return v !== undefined && v !== null;
  });
  if (present.length > 1) {
    throw new OtlpDecodeError(`${path}: ${what} sets more than one of ${present.map(([camel]) => camel).join(', ')}`);
  }
  return present[0]?.[0];
}

export function readKeyValues(value: unknown, path: string, depth: number): OtlpKeyValue[] {
  const list = asArray(value, path);
  if (!list) return [];
  return list.map((item, i) => {
    const kvPath = `${path}[${i}]`;
    const kv = asObject(item, kvPath) ?? {};
    const v = kv['value'];
    return {
      key: asString(kv['key'], `${kvPath}.key`),
      value: v === undefined || v === null ? { kind: 'empty' } : readAnyValue(v, `${kvPath}.value`, depth),
    };
  });
}

export function readAnyValue(value: unknown, path: string, depth: number): OtlpAnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`${path}: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  const obj = asObject(value, path) ?? {};
  const present = ANY_VALUE_KINDS.filter((k) => obj[k] !== undefined && obj[k] !== null);
  if (present.length > 1) {
    throw new OtlpDecodeError(`${path}: AnyValue sets more than one value (${present.join(', ')})`);
  }
  const kind = present[0];
  switch (kind) {
    case undefined:
      return { kind: 'empty' };
    case 'stringValue':
      return { kind: 'string', value: asString(obj[kind], `${path}.${kind}`) };
    case 'boolValue':
      return { kind: 'bool', value: asBool(obj[kind], `${path}.${kind}`) };
    case 'intValue':
      return { kind: 'int', value: asInt64(obj[kind], `${path}.${kind}`) };
    case 'doubleValue':
      return { kind: 'double', value: asDouble(obj[kind], `${path}.${kind}`) };
    case 'bytesValue':
      return { kind: 'bytes', value: asBase64Bytes(obj[kind], `${path}.${kind}`) };
    case 'arrayValue': {
      const arr = asObject(obj[kind], `${path}.${kind}`) ?? {};
      const items = asArray(arr['values'], `${path}.${kind}.values`) ?? [];
      return { kind: 'array', values: items.map((x, i) => readAnyValue(x, `${path}.${kind}.values[${i}]`, depth + 1)) };
    }
    case 'kvlistValue': {
      const kvl = asObject(obj[kind], `${path}.${kind}`) ?? {};
      return { kind: 'kvlist', values: readKeyValues(kvl['values'], `${path}.${kind}.values`, depth + 1) };
    }
  }
}

/** An enum given by number (32-bit) or by name; a name the enum does not define is returned as a rejection
 * reason (`{ unknown }`), since it invalidates only the item that carries it. */
export function readEnum(value: unknown, path: string, byName: ReadonlyMap<string, number>, what: string): number | { unknown: string } {
  if (typeof value === 'string' && !DECIMAL_INT.test(value)) {
    const n = byName.get(value);
    return n ?? { unknown: `${path}: unknown ${what} ${JSON.stringify(value)}` };
  }
  return asInt32(value, path);
}

/** The id as lowercase hex, or a rejection reason when the text is not hex. Length is checked by the mapper. */
export function readHexId(value: unknown, path: string): { hex: string } | string {
  const hex = asString(value, path);
  if (!HEX.test(hex) || hex.length % 2 !== 0) {
    return `${path}: ${JSON.stringify(hex.slice(0, 64))} is not hex (OTLP/JSON spells ids in hex, not base64)`;
  }
  return { hex: UPPER_HEX.test(hex) ? hex.toLowerCase() : hex };
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OtlpDecodeError('invalid JSON: the body is not valid UTF-8');
  }
}

export function asObject(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw typeError(path, 'an object', value);
  }
  return value as JsonObject;
}

export function asArray(value: unknown, path: string): readonly unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw typeError(path, 'an array', value);
  return value;
}

export function asString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(path, 'a string', value);
  return value;
}

export function asBool(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw typeError(path, 'true or false', value);
  return value;
}

export function asUint64(value: unknown, path: string): bigint {
  const n = asInteger(value, path, DECIMAL_UINT, 'an unsigned 64-bit integer (decimal string or number)');
  if (n < 0n || n > UINT64_MAX) throw typeError(path, 'an unsigned 64-bit integer', value);
  return n;
}

/** A uint64 that may arrive negative from a sender that means a count: the signed value, range-checked as
 * int64 or uint64, so the caller can reject a negative count as invalid rather than malformed. */
export function asCount(value: unknown, path: string): bigint {
  const n = asInteger(value, path, DECIMAL_INT, 'an unsigned 64-bit integer (decimal string or number)');
  if (n < INT64_MIN || n > UINT64_MAX) throw typeError(path, 'an unsigned 64-bit integer', value);
  return n;
}

export function asInt64(value: unknown, path: string): bigint {
  const n = asInteger(value, path, DECIMAL_INT, 'a 64-bit integer (decimal string or number)');
  if (n < INT64_MIN || n > INT64_MAX) throw typeError(path, 'a 64-bit integer', value);
  return n;
}

export function asInt32(value: unknown, path: string): number {
  const n = asInteger(value, path, DECIMAL_INT, 'a 32-bit integer');
  if (n < INT32_MIN || n > INT32_MAX) throw typeError(path, 'a 32-bit integer', value);
  return Number(n);
}

export function asUint32(value: unknown, path: string): number {
  const n = asInteger(value, path, DECIMAL_UINT, 'an unsigned 32-bit integer');
  if (n < 0n || n > UINT32_MAX) throw typeError(path, 'an unsigned 32-bit integer', value);
  return Number(n);
}

function asInteger(value: unknown, path: string, pattern: RegExp, expected: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && pattern.test(value)) return BigInt(value);
  throw typeError(path, expected, value);
}

export function asDouble(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    const n = Number(value);
    if (value.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw typeError(path, 'a number (or "NaN", "Infinity", "-Infinity")', value);
}

function asBase64Bytes(value: unknown, path: string): Uint8Array {
  const text = asString(value, path);
  if (!BASE64.test(text)) throw typeError(path, 'base64 bytes', value);
  return Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
}

export function typeError(path: string, expected: string, got: unknown): OtlpDecodeError {
  return new OtlpDecodeError(`${path}: expected ${expected}, got ${describe(got)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
