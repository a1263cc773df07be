/**
 * Parses a body that is a JSON object (structured loggers: pino, zap, logrus, bunyan, python-json-logger...).
 * Well-known fields become record fields — the message becomes the body, the level the severity, the time
 * the event time, trace and span ids the record's ids — each only when the record does not already carry that
 * field, and a field is consumed only when it was applied. The other top-level fields become attributes
 * (nested values as JSON, numbers exactly as written), never overwriting an attribute the record already has,
 * and at most maxPromotedAttributes of them. Without a message field the body stays the JSON text.
 */
import type { LogRecord } from '@sextant/contracts';
import { NOT_APPLICABLE, trimLineEnd, type BodyParseOutcome, type BodyParser } from './body-parser';
import { ParseFlag, withFlags } from './parse-flags';
import {
  encodeJsonValue,
  isJsonObject,
  JsonBigNumber,
  JsonSyntaxError,
  parseJsonText,
  type JsonObject,
  type JsonValue,
} from './parse-json-text';
import { severityOfNumericLevel, severityOfWord } from './parse-severity';
import { parseTimestamp } from './parse-timestamp';
import type { ParseOptions } from './parsing.config';

/** Fields whose string value becomes the body, first present wins. */
export const MESSAGE_KEYS = ['msg', 'message', 'log'] as const;
/** Fields that give the severity (a word, or a pino/bunyan number). */
export const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname'] as const;
/** Fields that give the event time (RFC 3339, or epoch seconds/millis/micros/nanos). */
export const TIME_KEYS = ['time', 'timestamp', 'ts', '@timestamp'] as const;
export const TRACE_ID_KEYS = ['trace_id', 'traceId'] as const;
export const SPAN_ID_KEYS = ['span_id', 'spanId'] as const;

const HEX = /^[0-9a-fA-F]+$/;
const ALL_ZERO = /^0+$/;

export const JSON_BODY_PARSER: BodyParser = {
  name: 'json',
  flag: ParseFlag.JSON,
  parse: parseJsonBody,
};

export function parseJsonBody(record: LogRecord, options: ParseOptions): BodyParseOutcome {
  if (!looksLikeJsonObject(record.body)) return NOT_APPLICABLE;
  let parsed: JsonValue;
  try {
    parsed = parseJsonText(record.body);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { status: 'failed', reason: `invalid JSON body: ${err.message}` };
    throw err;
  }
  if (!isJsonObject(parsed)) return NOT_APPLICABLE;

  const consumed = new Set<string>();
  const take = <T>(keys: readonly string[], read: (v: JsonValue) => T | undefined): T | undefined => {
    for (const key of keys) {
      if (!Object.hasOwn(parsed, key)) continue;
      const value = read(parsed[key] as JsonValue);
      if (value !== undefined) {
        consumed.add(key);
        return value;
      }
    }
    return undefined;
  };

  const message = take(MESSAGE_KEYS, (v) => (typeof v === 'string' ? v : undefined));
  const severityUnset = record.severityNumber === 0 && record.severityText === '';
  const level = severityUnset ? take(LEVEL_KEYS, readLevel) : undefined;
  const time = record.timeUnixNano === 0n ? take(TIME_KEYS, parseTimestamp) : undefined;
  const traceId = record.traceId === '' ? take(TRACE_ID_KEYS, readTraceId) : undefined;
  const spanId = record.spanId === '' ? take(SPAN_ID_KEYS, (v) => readHexId(v, 16)) : undefined;
  const max = options.maxPromotedAttributes;
  const { attributes, truncated } = promoteAttributes(record.attributes, parsed, consumed, max);

  return {
    status: 'parsed',
    record: {
      ...record,
      body: trimLineEnd(message ?? record.body),
      severityText: level?.text ?? record.severityText,
      severityNumber: level?.number ?? record.severityNumber,
      timeUnixNano: time ?? record.timeUnixNano,
      traceId: traceId ?? record.traceId,
      spanId: spanId ?? record.spanId,
      attributes,
      parseFlags: withFlags(record.parseFlags, ParseFlag.JSON, ...(truncated ? [ParseFlag.ATTRIBUTES_TRUNCATED] : [])),
    },
  };
}

/** First and last non-blank characters are braces: worth trying to parse (anything else is not JSON here). */
function looksLikeJsonObject(body: string): boolean {
  let start = 0;
  let end = body.length - 1;
  while (start <= end && isBlank(body.charCodeAt(start))) start++;
  while (end >= start && isBlank(body.charCodeAt(end))) end--;
  return end > start && body.charCodeAt(start) === 0x7b && body.charCodeAt(end) === 0x7d;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function readLevel(value: JsonValue): { text: string; number: number } | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const number = /^[0-9]+$/.test(text) ? severityOfNumericLevel(Number(text)) : severityOfWord(text);
    return { text, number: number ?? 0 };
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return { text: String(value), number: severityOfNumericLevel(value) ?? 0 };
  }
  return undefined;
}

/** 32 hex digits (a 64-bit id of 16 digits is widened with zeros, as W3C and OTel do), lowercase, not zero. */
function readTraceId(value: JsonValue): string | undefined {
  const hex = readHexId(value, 32) ?? readHexId(value, 16);
  return hex === undefined ? undefined : hex.padStart(32, '0');
}

function readHexId(value: JsonValue, digits: number): string | undefined {
  if (typeof value !== 'string' || value.length !== digits) return undefined;
  if (!HEX.test(value) || ALL_ZERO.test(value)) return undefined;
  return value.toLowerCase();
}

function promoteAttributes(
  existing: Readonly<Record<string, string>>,
  fields: JsonObject,
  consumed: ReadonlySet<string>,
  max: number,
): { attributes: Record<string, string>; truncated: boolean } {
  // Copied key by key, not spread: V8 gives a spread clone a map outside the transition tree, and every key
  // added to it afterwards then costs a new map (several µs per record instead of a fraction of one).
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(existing)) setAttribute(attributes, key, existing[key] as string);
  let added = 0;
  for (const key of Object.keys(fields)) {
    if (consumed.has(key) || Object.hasOwn(attributes, key)) continue;
    if (added >= max) return { attributes, truncated: true };
    setAttribute(attributes, key, attributeText(fields[key] as JsonValue));
    added++;
  }
  return { attributes, truncated: false };
}

function setAttribute(attributes: Record<string, string>, key: string, text: string): void {
  // Plain assignment keeps the object fast; only a "__proto__" key needs defineProperty to become an
  // attribute rather than a prototype.
  if (key === '__proto__') Object.defineProperty(attributes, key, { value: text, enumerable: true, writable: true, configurable: true });
  else attributes[key] = text;
}

/** A field as attribute text: strings as is, numbers as written, true/false/null, objects and arrays as JSON. */
function attributeText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof JsonBigNumber) return value.literal;
  return encodeJsonValue(value);
}
