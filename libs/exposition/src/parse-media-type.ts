/**
 * Content-Type parsing as Go's `mime.ParseMediaType` does it, which is what decides in Prometheus whether a
 * target's Content-Type is usable: the type is lowercased and trimmed, may lack a subtype, and parameters are
 * `; name=value` with a token or quoted-string value; a trailing `;` is allowed, a malformed or repeated
 * (with a different value) parameter is an error. (RFC 2231 continuations are not stitched together.)
 */

export interface MediaType {
  /** Lowercased, e.g. `text/plain`. */
  readonly type: string;
  /** Parameter names lowercased; values as sent (quotes removed). */
  readonly params: ReadonlyMap<string, string>;
}

// RFC 2045 token characters: printable ASCII except space and tspecials.
const TOKEN_CHAR = /[!#$%&'*+\-.0-9A-Z^_`a-z|~]/;
const TSPECIAL = /[()<>@,;:\\"/[\]?=]/;

function tokenEnd(s: string, i: number): number {
  while (i < s.length && TOKEN_CHAR.test(s[i]!)) i++;
  return i;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return i;
}

/** The media type and parameters of `value`, or an Error worded as Go's (`mime: invalid media parameter`). */
export function parseMediaType(value: string): MediaType | Error {
  const semicolon = value.indexOf(';');
  const base = semicolon < 0 ? value : value.slice(0, semicolon);
  const type = base.toLowerCase().trim();
  const problem = checkType(type);
  if (problem !== undefined) return new Error(problem);
  const params = new Map<string, string>();
  let rest = value.slice(base.length);
  for (;;) {
    rest = rest.slice(skipSpace(rest, 0));
    if (rest === '') break;
    const param = consumeParam(rest);
    if (param === undefined) {
      if (rest.trim() === ';') break;
      return new Error('mime: invalid media parameter');
    }
    const [name, paramValue, after] = param;
    const seen = params.get(name);
    if (seen !== undefined && seen !== paramValue) return new Error('mime: duplicate parameter name');
    params.set(name, paramValue);
    rest = after;
  }
  return { type, params };
}

function checkType(type: string): string | undefined {
  const end = tokenEnd(type, 0);
  if (end === 0) return 'mime: no media type';
  if (end === type.length) return undefined;
  if (type[end] !== '/') return 'mime: expected slash after first token';
  const subEnd = tokenEnd(type, end + 1);
  if (subEnd === end + 1) return 'mime: expected token after slash';
  if (subEnd !== type.length) return 'mime: unexpected content after media subtype';
  return undefined;
}

/** `; name = value` at the start of `s` (after blanks): [lowercased name, value, rest], or undefined. */
function consumeParam(s: string): [string, string, string] | undefined {
  let i = skipSpace(s, 0);
  if (s[i] !== ';') return undefined;
  i = skipSpace(s, i + 1);
  const nameEnd = tokenEnd(s, i);
  if (nameEnd === i) return undefined;
  const name = s.slice(i, nameEnd).toLowerCase();
  i = skipSpace(s, nameEnd);
  if (s[i] !== '=') return undefined;
  i = skipSpace(s, i + 1);
  if (s[i] !== '"') {
    const end = tokenEnd(s, i);
    return end === i ? undefined : [name, s.slice(i, end), s.slice(end)];
  }
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '"') return [name, out, s.slice(j + 1)];
    if (c === '\\' && j + 1 < s.length && TSPECIAL.test(s[j + 1]!)) {
      out += s[++j];
    } else if (c === '\r' || c === '\n') {
      return undefined;
    } else {
      out += c;
    }
  }
  return undefined;
}
