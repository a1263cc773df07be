/** Command-line flags of the benchmarks: `--name value`, with a default when the flag is absent. */

export function numberArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number (got ${process.argv[i + 1]})`);
  return v;
}

export function stringArg<T extends string>(name: string, def: T, allowed?: readonly T[]): T {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = process.argv[i + 1] as T | undefined;
  if (v === undefined || (allowed && !allowed.includes(v))) throw new Error(`--${name} must be one of ${allowed?.join(', ') ?? 'a value'} (got ${v})`);
  return v;
}
