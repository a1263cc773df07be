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

/**
 * Loads several sections from the environment. Throws ConfigError listing every problem of every section.
 */
export function loadConfig<S extends Record<string, ConfigSection<Record<string, AnyVar>, unknown>>>(
  sections: S,
  env: Env = process.env,
): { [K in keyof S]: SectionValue<S[K]> } {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, section] of Object.entries(sections)) out[key] = loadSectionInto(section, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return out as { [K in keyof S]: SectionValue<S[K]> };
}
