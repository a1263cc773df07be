/**
 * Prometheus's duration and size notations, for configuration files: `1h30m`, `15s`, `500ms`, `0`;
 * `10MiB`, `512KB` (every unit base 2, as Prometheus's `units.Base2Bytes`).
 */

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration, or undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = DURATION.exec(text);
  if (m === null || text === '') return undefined;
  let ms = 0;
  DURATION_UNITS_MS.forEach((unit, i) => {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * unit;
  });
  return Number.isSafeInteger(ms) ? ms : undefined;
}

const SIZE = /^(\d+)(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)?$/;
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, KiB: 1024, MB: 1024 ** 2, MiB: 1024 ** 2, GB: 1024 ** 3, GiB: 1024 ** 3, TB: 1024 ** 4, TiB: 1024 ** 4 };

/** Bytes of a Prometheus size (`10MB`, a bare number of bytes), or undefined when `text` is not one. */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text);
  if (m === null) return undefined;
  const bytes = Number(m[1]) * (SIZE_UNITS[m[2] ?? 'B'] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
