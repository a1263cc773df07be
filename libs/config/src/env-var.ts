/**
 * One environment variable of Sextant's configuration: its name, what it means, its unit and default, and
 * how its text becomes a typed value. Variables are data so that the README's configuration table can be
 * generated from (and checked against) the same definitions the services load at boot.
 */
import { z } from 'zod';

export interface EnvVar<T> {
  /** Environment variable name, e.g. SEXTANT_KAFKA_BROKERS. */
  readonly name: string;
  /** What the value means, for the README and error messages. */
  readonly description: string;
  /** Unit of the value (ms, bytes, records, ...), empty when unitless. */
  readonly unit: string;
  /** Text used when the variable is unset or empty; null means the variable is required. */
  readonly defaultValue: string | null;
  /** Hide the value in logs and dumps (passwords, tokens). */
  readonly secret: boolean;
  /** Parses and validates the raw text. */
  readonly schema: z.ZodType<T, z.ZodTypeDef, string>;
  /** Default as shown in the docs when it depends on the stage (e.g. `sextant-<stage>`). */
  readonly docDefault?: string;
}

interface VarOptions {
  unit?: string;
  secret?: boolean;
  docDefault?: string;
}

function envVar<T>(name: string, description: string, defaultValue: string | null, schema: z.ZodType<T, z.ZodTypeDef, string>, opts: VarOptions = {}): EnvVar<T> {
  const v: EnvVar<T> = { name, description, unit: opts.unit ?? '', defaultValue, secret: opts.secret ?? false, schema };
  return opts.docDefault === undefined ? v : { ...v, docDefault: opts.docDefault };
}

/** Free text. */
export function textVar(name: string, description: string, defaultValue: string | null, opts?: VarOptions): EnvVar<string> {
  return envVar(name, description, defaultValue, z.string(), opts);
}

/** Integer within [min, max]. */
export function intVar(name: string, description: string, defaultValue: number, min: number, max: number, unit = '', opts: VarOptions = {}): EnvVar<number> {
  const schema = z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform((s) => Number(s))
    .pipe(z.number().int().min(min, `must be >= ${min}`).max(max, `must be <= ${max}`));
  return envVar(name, description, String(defaultValue), schema, { ...opts, unit });
}

/** true/false (also 1/0, yes/no). */
export function boolVar(name: string, description: string, defaultValue: boolean): EnvVar<boolean> {
  const schema = z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { errorMap: () => ({ message: 'must be true or false' }) }))
    .transform((s) => s === 'true' || s === '1' || s === 'yes');
  return envVar(name, description, String(defaultValue), schema);
}

/** One of a fixed set of words. */
export function enumVar<const T extends string>(name: string, description: string, defaultValue: T, values: readonly [T, ...T[]]): EnvVar<T> {
  const allowed: readonly string[] = values;
  const schema = z.string().refine((s) => allowed.includes(s), { message: `must be one of ${values.join(', ')}` }) as unknown as z.ZodType<T, z.ZodTypeDef, string>;
  return envVar(name, description, defaultValue, schema);
}

/** Comma-separated list of non-empty items. */
export function listVar(name: string, description: string, defaultValue: string | null): EnvVar<string[]> {
  const schema = z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.string()).min(1, 'must list at least one item'));
  return envVar(name, description, defaultValue, schema);
}

/** http(s) URL, or empty when allowed. */
export function urlVar(name: string, description: string, defaultValue: string, opts: VarOptions & { allowEmpty?: boolean; protocols?: string[] } = {}): EnvVar<string> {
  const protocols = opts.protocols ?? ['http:', 'https:'];
  const schema = z.string().refine(
    (s) => {
      if (s === '') return opts.allowEmpty === true;
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})${opts.allowEmpty ? ' or empty' : ''}` },
  );
  return envVar(name, description, defaultValue, schema, opts);
}
