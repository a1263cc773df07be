/**
 * Label order. Prometheus sorts a label set by name comparing bytes of UTF-8; JavaScript compares UTF-16 code
 * units, which differs only between characters above U+FFFF (surrogates) and U+E000–U+FFFF. The comparison
 * below corrects that case so sets sort exactly as Prometheus sorts them.
 */
import type { Label } from './exposition.model';

/** Negative, zero or positive as `a` sorts before, with or after `b` in UTF-8 byte order. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return rankHigh(x) - rankHigh(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Surrogates (characters above U+FFFF) sort after U+E000–U+FFFF in UTF-8. */
function rankHigh(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Sorts `labels` in place by name (stable, so repeated names keep body order) and returns it. */
export function sortLabels<T extends Label>(labels: T[]): T[] {
  return labels.sort((a, b) => compareUtf8(a.name, b.name));
}
