/**
 * A configuration section groups the variables of one concern (Kafka, ClickHouse, ingest limits, ...) and its
 * cross-field rules. Services load the sections they use once, at boot; every bad value is reported at once,
 * naming the variable, and the process stops before it touches anything.
 */
import type { EnvVar } from './env-var';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyVar = EnvVar<any>;

export interface ConfigSection<V extends Record<string, AnyVar>, T> {
  /** Heading in the README's configuration table. */
  readonly title: string;
  /** The section's variables, by field name. */
  readonly vars: V;
  /** Shapes the parsed fields into the section's typed value and checks cross-field rules (return messages). */
  build(fields: { [K in keyof V]: V[K] extends EnvVar<infer U> ? U : never }): { value: T; problems: string[] };
}

export type SectionValue<S> = S extends ConfigSection<infer _V, infer T> ? T : never;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function defineSection<V extends Record<string, AnyVar>, T>(section: ConfigSection<V, T>): ConfigSection<V, T> {
  return section;
}

type Env = Record<string, string | undefined>;

function loadSectionInto<V extends Record<string, AnyVar>, T>(section: ConfigSection<V, T>, env: Env, problems: string[]): T | undefined {
  const fields: Record<string, unknown> = {};
  let ok = true;
  for (const [field, v] of Object.entries(section.vars)) {
    const raw = env[v.name];
    const text = raw === undefined || raw === '' ? v.defaultValue : raw;
    if (text === null) {
      problems.push(`${v.name} is required (${v.description})`);
      ok = false;
      continue;
    }
    const parsed = v.schema.safeParse(text);
    if (!parsed.success) {
      const shown = v.secret ? '<hidden>' : JSON.stringify(text);
      problems.push(`${v.name}=${shown}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      ok = false;
      continue;
    }
    fields[field] = parsed.data;
  }
  if (!ok) return undefined;
  const built = section.build(fields as Parameters<typeof section.build>[0]);
  problems.push(...built.problems);
  return built.value;
}

/** Any section, whatever its variables and value. */
export type AnySection = ConfigSection<Record<string, AnyVar>, unknown>;

/** The loaded values of a set of sections, by key. */
export type LoadedConfig<S extends Record<string, AnySection>> = { [K in keyof S]: SectionValue<S[K]> };
type Values<S extends Record<string, AnySection>> = LoadedConfig<S>;

/**
 * A rule over the loaded values of every section: a component's own validation of the config it is built
 * from (cross-field rules a section cannot see), returning problems that name variables (see inVariables).
 */
export type ConfigCheck<T> = (values: T) => string[];

/**
 * Loads several sections from the environment, then runs `checks` over the complete values. Throws ConfigError
 * listing every problem of every section and check.
 */
export function loadConfig<S extends Record<string, ConfigSection<Record<string, AnyVar>, unknown>>>(
  sections: S,
  env: Env = process.env,
  checks: ConfigCheck<Values<S>>[] = [],
): Values<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, section] of Object.entries(sections)) out[key] = loadSectionInto(section, env, problems);
  if (problems.length === 0) for (const check of checks) problems.push(...check(out as Values<S>));
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Values<S>;
}

/** The variable each field of a section is read from: field name → variable name. */
export function variablesOf(section: ConfigSection<Record<string, AnyVar>, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(section.vars).map(([field, v]) => [field, v.name]));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites problems that a component's validator states in its own field names ("sendTimeoutMs must be
 * longer than lingerMs") into the variables those fields were loaded from, so an operator reads what to fix.
 * Fields without a variable keep their names.
 */
export function inVariables(problems: string[], names: Record<string, string>): string[] {
  const fields = Object.keys(names).sort((a, b) => b.length - a.length);
  if (fields.length === 0 || problems.length === 0) return problems;
  const pattern = new RegExp(`(?<![\\w.])(${fields.map(escapeRegExp).join('|')})(?![\\w])`, 'g');
  return problems.map((p) => p.replace(pattern, (field) => names[field] ?? field));
}
