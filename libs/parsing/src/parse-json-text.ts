/**
 * JSON parsing that keeps every number literal exact. JSON.parse turns numbers into doubles, which silently
 * rounds a nanosecond epoch timestamp (19 digits) or a 64-bit id. Literals whose digits could not survive a
 * double (16 or more digit/point characters before any exponent) are kept as JsonBigNumber holding the literal
 * text; everything else is what JSON.parse would return. Text without such a run of digits anywhere takes
 * the native JSON.parse path, so the common case costs nothing extra.
 */

/** A number literal kept as written because a double would round it. */
export class JsonBigNumber {
  constructor(readonly literal: string) {}

  toString(): string {
    return this.literal;
  }
}

export type JsonValue = null | boolean | number | string | JsonBigNumber | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/** The text is not JSON; the message names the position. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

/** Deepest nesting of arrays and objects the exact parser follows (it recurses). */
export const MAX_JSON_DEPTH = 256;

/** Shortest mantissa (digits and point) that is kept as a JsonBigNumber; shorter ones are exact as doubles. */
const BIG_LITERAL_CHARS = 16;
const MAY_HOLD_BIG_LITERAL = /[0-9.]{16}/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses JSON text; throws JsonSyntaxError when it is not JSON. */
export function parseJsonText(text: string): JsonValue {
  if (!MAY_HOLD_BIG_LITERAL.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (err) {
      throw new JsonSyntaxError(err instanceof Error ? err.message : String(err));
    }
  }
  return new ExactJsonParser(text).document();
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonBigNumber);
}

/** JSON text of a value, JsonBigNumber literals written as they came. */
export function encodeJsonValue(value: JsonValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonBigNumber) return value.literal;
  if (Array.isArray(value)) return `[${value.map(encodeJsonValue).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${encodeJsonValue(value[k] as JsonValue)}`)
      .join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

class ExactJsonParser {
  private i = 0;

  constructor(private readonly s: string) {}

  document(): JsonValue {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.s.startsWith('true', this.i)) return this.literal(4, true);
    if (this.s.startsWith('false', this.i)) return this.literal(5, false);
    if (this.s.startsWith('null', this.i)) return this.literal(4, null);
    return this.fail(this.i < this.s.length ? 'unexpected character' : 'unexpected end of text');
  }

  private object(depth: number): JsonObject {
    const obj: JsonObject = {};
    this.i++;
    this.skipWhitespace();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return obj;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('expected a property name');
      const key = this.string();
      this.skipWhitespace();
      this.expect(0x3a, "':'");
      this.skipWhitespace();
      const v = this.value(depth + 1);
      // Assigning "__proto__" would set the prototype; define it as the own property JSON.parse creates.
      if (key === '__proto__') {
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      } else {
        obj[key] = v;
      }
      this.skipWhitespace();
      if (this.s.charCodeAt(this.i) === 0x2c) {
        this.i++;
        this.skipWhitespace();
        continue;
      }
      this.expect(0x7d, "',' or '}'");
      return obj;
    }
  }

  private array(depth: number): JsonValue[] {
    const arr: JsonValue[] = [];
    this.i++;
    this.skipWhitespace();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(depth + 1));
      this.skipWhitespace();
      if (this.s.charCodeAt(this.i) === 0x2c) {
        this.i++;
        this.skipWhitespace();
        continue;
      }
      this.expect(0x5d, "',' or ']'");
      return arr;
    }
  }

  private string(): string {
    const start = this.i + 1;
    let j = start;
    // Fast path: no escapes; the native parser handles everything else in the literal.
    while (j < this.s.length) {
      const c = this.s.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) return this.escapedString();
      if (c < 0x20) {
        this.i = j;
        this.fail('control character in string');
      }
      j++;
    }
    if (j >= this.s.length) {
      this.i = j;
      this.fail('unterminated string');
    }
    this.i = j + 1;
    return this.s.slice(start, j);
  }

  private escapedString(): string {
    const start = this.i;
    let j = start + 1;
    while (j < this.s.length) {
      const c = this.s.charCodeAt(j);
      if (c === 0x5c) j += 2;
      else if (c === 0x22) break;
      else j++;
    }
    if (j >= this.s.length) {
      this.i = j;
      this.fail('unterminated string');
    }
    this.i = j + 1;
    try {
      return JSON.parse(this.s.slice(start, j + 1)) as string;
    } catch {
      this.i = start;
      return this.fail('invalid string literal');
    }
  }

  private number(): number | JsonBigNumber {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) return this.fail('invalid number');
    const literal = m[0];
    this.i += literal.length;
    const exponentAt = literal.search(/[eE]/);
    const mantissa = (exponentAt < 0 ? literal : literal.slice(0, exponentAt)).replace('-', '');
    const n = Number(literal);
    return mantissa.length >= BIG_LITERAL_CHARS || !Number.isFinite(n) ? new JsonBigNumber(literal) : n;
  }

  private literal<T>(length: number, value: T): T {
    this.i += length;
    return value;
  }

  private expect(charCode: number, what: string): void {
    if (this.s.charCodeAt(this.i) !== charCode) this.fail(`expected ${what}`);
    this.i++;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else return;
    }
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(`${message} at position ${this.i}`);
  }
}
