/**
 * Query parameters (`{name:Type}` placeholders) travel as `param_<name>` URL parameters in ClickHouse's escaped
 * text form, and the engine binds them itself, so a value never becomes SQL text. chDB's binder takes JS values
 * and escapes a string once more on its way in, so the text must first be unescaped: exact for string-like
 * types, whose escaped form is the only thing the engine undoes. Values of other types (numbers, dates, arrays,
 * maps, tuples) are handed over as sent; one that carries a backslash escape would change meaning in that
 * second escaping, so it is refused rather than bound wrong.
 */
import { RequestError } from './clickhouse-request';

/** What chDB's binder receives for one placeholder: text, or null for SQL NULL. */
export type BoundValue = string | null;

const PLACEHOLDER = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g;

/** Types read from their escaped text by plain unescaping, once Nullable/LowCardinality are peeled off. */
const STRING_LIKE = /^(String|FixedString\(\s*\d+\s*\)|Enum(8|16)?\(.*\))$/s;

/** The declared type of every placeholder in `sql`, by name (first declaration wins). */
export function placeholderTypes(sql: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of sql.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (!types.has(name)) types.set(name, (m[2] as string).trim());
  }
  return types;
}

function innerType(type: string): string {
  const wrapped = /^(Nullable|LowCardinality)\((.*)\)$/s.exec(type);
  return wrapped ? innerType((wrapped[2] as string).trim()) : type;
}

/** Undoes ClickHouse's escaped text form (backslash sequences) of one value. */
export function unescapeText(text: string): string {
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v', e: '\x1b' };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\' || i === text.length - 1) {
      out += ch;
      continue;
    }
    const next = text[++i] as string;
    const hex = next === 'x' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1)) : null;
    if (hex) {
      out += String.fromCharCode(parseInt(hex[0], 16));
      i += 2;
    } else {
      out += simple[next] ?? next;
    }
  }
  return out;
}

/**
 * The values to bind for `params` in `sql`. Unknown names (no placeholder) are passed as strings, harmlessly:
 * the engine ignores a parameter no placeholder asks for. Throws RequestError (code 457) for a value that
 * cannot be bound exactly.
 */
export function bindValues(sql: string, params: ReadonlyMap<string, string>): Record<string, BoundValue> {
  const types = placeholderTypes(sql);
  const bound: Record<string, BoundValue> = {};
  for (const [name, text] of params) {
    const type = types.get(name);
    if (text === '\\N') {
      // The NULL marker; the engine refuses it for a placeholder that is not Nullable, as a server does.
      bound[name] = null;
    } else if (type === undefined || STRING_LIKE.test(innerType(type))) {
      bound[name] = unescapeText(text);
    } else if (/[\\\0\b\f\n\r\t]/.test(text)) {
      throw new RequestError(457, 'BAD_QUERY_PARAMETER', `Value of parameter ${name} (${type}) carries an escape sequence; the store binds such values for String parameters only`);
    } else {
      bound[name] = text;
    }
  }
  return bound;
}
