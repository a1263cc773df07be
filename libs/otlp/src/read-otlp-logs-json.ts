/**
 * Reads an OTLP/JSON ExportLogsServiceRequest into the encoding-neutral request model, following the OTLP/JSON
 * rules: lowerCamelCase keys (the original snake_case names are accepted too, as proto3 JSON parsers do),
 * trace and span ids as hex (not base64), enums as integers or names, 64-bit integers as decimal strings or
 * numbers (converted exactly), bytes as base64, null meaning "not set", unknown keys ignored. A value of the
 * wrong JSON type anywhere is a malformed request (OtlpDecodeError naming the path); an id that is not hex or
 * an unknown severity name rejects only its record.
 */
import { OtlpDecodeError, OtlpTooManyRecordsError } from './otlp-decode.error';
import {
  MAX_ANY_VALUE_DEPTH,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpLogRecordData,
  type OtlpLogsRequestData,
  type OtlpRecordLocation,
  type OtlpRejectedRecord,
} from './otlp-logs.model';
import { parseOtlpJsonText } from './parse-otlp-json-text';
import { SEVERITY_NUMBER_BY_NAME } from './severity-number';

type JsonObject = Readonly<Record<string, unknown>>;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT32_MAX = 0xffffffff;
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

/** Decodes OTLP/JSON given as text, as UTF-8 bytes, or as an already parsed value (whose big numbers may then
 * be inexact). */
export function readOtlpLogsJson(input: string | object, maxRecords?: number): OtlpLogsRequestData {
  const root =
    typeof input === 'string'
      ? parseOtlpJsonText(input)
      : input instanceof Uint8Array
        ? parseOtlpJsonText(decodeUtf8(input))
        : input;
  const request = asObject(root, '(root)') ?? {};
  const resourceLogs = asArray(field(request, 'resourceLogs', 'resource_logs'), 'resourceLogs') ?? [];
  const shaped = resourceLogs.map((rl, r) => {
    const path = `resourceLogs[${r}]`;
    const obj = asObject(rl, path) ?? {};
    const resource = asObject(obj['resource'], `${path}.resource`);
    const scopeLogs = (asArray(field(obj, 'scopeLogs', 'scope_logs'), `${path}.scopeLogs`) ?? []).map((sl, s) => {
      const slPath = `${path}.scopeLogs[${s}]`;
      const slObj = asObject(sl, slPath) ?? {};
      const records = asArray(field(slObj, 'logRecords', 'log_records'), `${slPath}.logRecords`) ?? [];
      return { slPath, slObj, records };
    });
    return { path, resource, scopeLogs };
  });
  if (maxRecords !== undefined) {
    let count = 0;
    for (const rl of shaped) for (const sl of rl.scopeLogs) count += sl.records.length;
    if (count > maxRecords) throw new OtlpTooManyRecordsError(count, maxRecords);
  }
  return {
    resourceLogs: shaped.map((rl, resourceIndex) => ({
      resource: readKeyValues(rl.resource && rl.resource['attributes'], `${rl.path}.resource.attributes`, 0),
      scopeLogs: rl.scopeLogs.map((sl, scopeIndex) => {
        const scope = asObject(sl.slObj['scope'], `${sl.slPath}.scope`) ?? {};
        return {
          scopeName: asString(scope['name'], `${sl.slPath}.scope.name`),
          scopeVersion: asString(scope['version'], `${sl.slPath}.scope.version`),
          records: sl.records.map((lr, recordIndex) =>
            readLogRecord(lr, { resourceIndex, scopeIndex, recordIndex }, `${sl.slPath}.logRecords[${recordIndex}]`),
          ),
        };
      }),
    })),
  };
}

function readLogRecord(
  value: unknown,
  location: OtlpRecordLocation,
  path: string,
): OtlpLogRecordData | OtlpRejectedRecord {
  const lr = asObject(value, path) ?? {};
  const reject = (reason: string): OtlpRejectedRecord => ({ kind: 'rejected', location, reason });
  const severity = readSeverityNumber(field(lr, 'severityNumber', 'severity_number'), `${path}.severityNumber`);
  if (typeof severity === 'string') return reject(severity);
  const traceId = readHexId(field(lr, 'traceId', 'trace_id'), `${path}.traceId`);
  if (typeof traceId === 'string') return reject(traceId);
  const spanId = readHexId(field(lr, 'spanId', 'span_id'), `${path}.spanId`);
  if (typeof spanId === 'string') return reject(spanId);
  const body = lr['body'];
  return {
    kind: 'record',
    location,
    timeUnixNano: asUint64(field(lr, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    observedTimeUnixNano: asUint64(
      field(lr, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      `${path}.observedTimeUnixNano`,
    ),
    severityNumber: severity,
    severityText: asString(field(lr, 'severityText', 'severity_text'), `${path}.severityText`),
    body: body === undefined || body === null ? { kind: 'empty' } : readAnyValue(body, `${path}.body`, 0),
    attributes: readKeyValues(lr['attributes'], `${path}.attributes`, 0),
    flags: asUint32(lr['flags'], `${path}.flags`),
    traceId: traceId.hex,
    spanId: spanId.hex,
    eventName: asString(field(lr, 'eventName', 'event_name'), `${path}.eventName`),
  };
}

function readKeyValues(value: unknown, path: string, depth: number): OtlpKeyValue[] {
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

function readAnyValue(value: unknown, path: string, depth: number): OtlpAnyValue {
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
    case 'boolValue': {
      const b = obj[kind];
      if (typeof b !== 'boolean') throw typeError(`${path}.${kind}`, 'true or false', b);
      return { kind: 'bool', value: b };
    }
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

/** The severity number, or a rejection reason for an enum name OTLP does not define. */
function readSeverityNumber(value: unknown, path: string): number | string {
  if (typeof value === 'string' && !DECIMAL_INT.test(value)) {
    const n = SEVERITY_NUMBER_BY_NAME.get(value);
    return n ?? `${path}: unknown severity ${JSON.stringify(value)}`;
  }
  const n = asInt64(value, path);
  if (n < -0x80000000n || n > 0x7fffffffn) throw typeError(path, 'a 32-bit integer', value);
  return Number(n);
}

/** The id as lowercase hex, or a rejection when the text is not hex. Length is checked by the mapper. */
function readHexId(value: unknown, path: string): { hex: string } | string {
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

function field(obj: JsonObject, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v === undefined || v === null ? obj[snake] : v;
}

function asObject(value: unknown, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw typeError(path, 'an object', value);
  }
  return value as JsonObject;
}

function asArray(value: unknown, path: string): readonly unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw typeError(path, 'an array', value);
  return value;
}

function asString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(path, 'a string', value);
  return value;
}

function asUint64(value: unknown, path: string): bigint {
  const n = asInteger(value, path, DECIMAL_UINT, 'an unsigned 64-bit integer (decimal string or number)');
  if (n < 0n || n > UINT64_MAX) throw typeError(path, 'an unsigned 64-bit integer', value);
  return n;
}

function asInt64(value: unknown, path: string): bigint {
  const n = asInteger(value, path, DECIMAL_INT, 'a 64-bit integer (decimal string or number)');
  if (n < INT64_MIN || n > INT64_MAX) throw typeError(path, 'a 64-bit integer', value);
  return n;
}

function asUint32(value: unknown, path: string): number {
  const n = asInteger(value, path, DECIMAL_UINT, 'an unsigned 32-bit integer');
  if (n < 0n || n > BigInt(UINT32_MAX)) throw typeError(path, 'an unsigned 32-bit integer', value);
  return Number(n);
}

function asInteger(value: unknown, path: string, pattern: RegExp, expected: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && pattern.test(value)) return BigInt(value);
  throw typeError(path, expected, value);
}

function asDouble(value: unknown, path: string): number {
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

function typeError(path: string, expected: string, got: unknown): OtlpDecodeError {
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
