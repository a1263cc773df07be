/**
 * Reads one mapping of a parsed configuration document field by field, collecting every problem with the
 * path of the field it concerns (`scrape_configs[1].scrape_interval: …`), so one run reports them all.
 */
import { parseDuration, parseSize } from './duration';

/** A configuration that does not validate; `problems` name each bad field. */
export class ScrapeConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid scrape configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ScrapeConfigError';
  }
}

/** A mapping of the document, at `path`, reporting into a shared problem list. */
export class ConfigReader {
  constructor(
    private readonly node: Readonly<Record<string, unknown>>,
    readonly path: string,
    readonly problems: string[],
  ) {}

  /** The mapping at the document root (`{}` for an empty document); a non-mapping is a problem. */
  static root(doc: unknown, problems: string[]): ConfigReader {
    return new ConfigReader(asMapping(doc ?? {}, '(document)', problems) ?? {}, '', problems);
  }

  has(name: string): boolean {
    return this.node[name] !== undefined && this.node[name] !== null;
  }

  /** Reports fields other than `known` (Prometheus rejects unknown fields too). */
  onlyKnown(known: readonly string[]): void {
    for (const name of Object.keys(this.node)) {
      if (!known.includes(name)) this.problem(name, `unknown field (known: ${known.join(', ')})`);
    }
  }

  problem(name: string, message: string): void {
    this.problems.push(`${this.fieldPath(name)}: ${message}`);
  }

  fieldPath(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  string(name: string): string | undefined {
    const v = this.node[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return this.fail(name, `must be a string, got ${describe(v)}`);
    return v;
  }

  boolean(name: string): boolean | undefined {
    const v = this.node[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return this.fail(name, `must be true or false, got ${describe(v)}`);
    return v;
  }

  /** An integer ≥ 0. */
  count(name: string): number | undefined {
    const v = this.node[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return this.fail(name, `must be an integer ≥ 0, got ${describe(v)}`);
    return v;
  }

  /** A Prometheus duration (`30s`, `1m30s`), in ms. */
  duration(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined) return this.fail(name, `not a valid duration string: ${JSON.stringify(text)}`);
    return ms;
  }

  /** A size (`10MB`, or a number of bytes), in bytes. */
  size(name: string): number | undefined {
    const v = this.node[name];
    if (typeof v === 'number') return this.count(name);
    const text = this.string(name);
    if (text === undefined) return undefined;
    const bytes = parseSize(text);
    if (bytes === undefined) return this.fail(name, `not a valid size: ${JSON.stringify(text)}`);
    return bytes;
  }

  /** One of `values`. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(values as readonly string[]).includes(text)) return this.fail(name, `must be one of ${values.join(', ')}, got ${JSON.stringify(text)}`);
    return text as T;
  }

  /** A nested mapping. */
  mapping(name: string): ConfigReader | undefined {
    const v = this.node[name];
    if (v === undefined || v === null) return undefined;
    const m = asMapping(v, this.fieldPath(name), this.problems);
    return m === undefined ? undefined : new ConfigReader(m, this.fieldPath(name), this.problems);
  }

  /** A sequence of mappings. */
  mappings(name: string): ConfigReader[] {
    return this.sequence(name).flatMap((item, i) => {
      const path = `${this.fieldPath(name)}[${i}]`;
      const m = asMapping(item, path, this.problems);
      return m === undefined ? [] : [new ConfigReader(m, path, this.problems)];
    });
  }

  /** A sequence of strings. */
  strings(name: string): string[] {
    return this.sequence(name).flatMap((item, i) => {
      if (typeof item === 'string') return [item];
      this.problems.push(`${this.fieldPath(name)}[${i}]: must be a string, got ${describe(item)}`);
      return [];
    });
  }

  /** A mapping of string values (`labels`). */
  stringMap(name: string): Record<string, string> {
    const m = this.mapping(name);
    if (m === undefined) return {};
    const out: Record<string, string> = {};
    for (const key of Object.keys(m.node)) {
      const value = m.string(key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** A mapping of string sequences (`params`). */
  stringListMap(name: string): Record<string, string[]> {
    const m = this.mapping(name);
    if (m === undefined) return {};
    const out: Record<string, string[]> = {};
    for (const key of Object.keys(m.node)) out[key] = m.strings(key);
    return out;
  }

  private sequence(name: string): unknown[] {
    const v = this.node[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(name, `must be a list, got ${describe(v)}`) ?? [];
    return v;
  }

  private fail(name: string, message: string): undefined {
    this.problem(name, message);
    return undefined;
  }
}

function asMapping(v: unknown, path: string, problems: string[]): Record<string, unknown> | undefined {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  problems.push(`${path}: must be a mapping, got ${describe(v)}`);
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
