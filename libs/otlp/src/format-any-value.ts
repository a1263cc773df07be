/**
 * Turns OTLP AnyValues into the strings a LogRecord carries (its attribute maps and body are strings, as in
 * the OpenTelemetry ClickHouse schema). Two spellings exist on purpose: attribute values follow the OTel
 * Collector's `AsString` (scalars as plain text, bytes as base64, arrays and maps as JSON), which is what the
 * Collector's own ClickHouse exporter stores; a non-string body is always a JSON text, so that a body flagged
 * `body_json` can be parsed back. Integers are written from bigint, so 64-bit values stay exact.
 */
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-common.model';

/** Attributes as a string map of formatAttributeValue texts; a repeated key keeps its last value (a
 * `__proto__` key is kept as an ordinary own property). */
export function formatAttributes(kvs: readonly OtlpKeyValue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of kvs) {
    if (kv.key === '__proto__') Object.defineProperty(out, kv.key, { value: formatAttributeValue(kv.value), enumerable: true, writable: true, configurable: true });
    else out[kv.key] = formatAttributeValue(kv.value);
  }
  return out;
}

/** Attribute value as text: strings as is, ints in decimal, bools true/false, doubles as JS numbers
 * (NaN, Infinity, -Infinity spelled out), bytes in base64, arrays and kvlists as JSON, an empty value as ''. */
export function formatAttributeValue(value: OtlpAnyValue): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'double':
      return formatDouble(value.value);
    case 'bytes':
      return Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength).toString('base64');
    case 'array':
    case 'kvlist':
      return encodeAnyValueJson(value);
    case 'empty':
      return '';
  }
}

/** The AnyValue as a JSON text: ints as exact JSON numbers, non-finite doubles as the strings "NaN",
 * "Infinity", "-Infinity" (the proto3 JSON spelling), bytes as a base64 string, kvlists as objects (a repeated
 * key keeps its last value), an empty value as null. */
export function encodeAnyValueJson(value: OtlpAnyValue): string {
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'double':
      return Number.isFinite(value.value) ? JSON.stringify(value.value) : JSON.stringify(formatDouble(value.value));
    case 'bytes':
      return JSON.stringify(formatAttributeValue(value));
    case 'array':
      return `[${value.values.map(encodeAnyValueJson).join(',')}]`;
    case 'kvlist':
      return encodeKeyValueListJson(value.values);
    case 'empty':
      return 'null';
  }
}

function encodeKeyValueListJson(values: readonly OtlpKeyValue[]): string {
  const byKey = new Map<string, OtlpAnyValue>();
  for (const kv of values) byKey.set(kv.key, kv.value);
  const members: string[] = [];
  for (const [key, v] of byKey) members.push(`${JSON.stringify(key)}:${encodeAnyValueJson(v)}`);
  return `{${members.join(',')}}`;
}

function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}
