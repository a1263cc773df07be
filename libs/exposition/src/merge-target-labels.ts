/**
 * Target labels onto scraped series, as Prometheus's `mutateSampleLabels` does before relabeling:
 * - `honorLabels` true: a scraped label wins; a target label is added only when the series has no label of
 *   that name at all (an empty scraped value also blocks it, and is then dropped, so the label disappears).
 * - `honorLabels` false: target labels win; a scraped label that clashes with one and has a non-empty value
 *   is kept as `exported_<name>` (prefix repeated until the name is free), shortest names renamed first.
 * Labels with empty values are dropped either way (Prometheus treats empty as absent). The result is sorted.
 */
import type { Label } from './exposition.model';
import { sortLabels } from './label-order';

/** Prefix given to a scraped label that clashes with a target label. */
export const EXPORTED_LABEL_PREFIX = 'exported_';

/**
 * @param scraped the series' labels as parsed (`__name__` included)
 * @param target the target's public labels (e.g. `job`, `instance`; no `__`-prefixed ones)
 */
export function mergeTargetLabels(scraped: readonly Label[], target: readonly Label[], honorLabels: boolean): Label[] {
  const merged = new LabelBuilder(scraped);
  if (honorLabels) {
    for (const t of target) if (!scraped.some((l) => l.name === t.name)) merged.set(t.name, t.value);
  } else {
    const clashes: Label[] = [];
    for (const t of target) {
      const existing = scraped.find((l) => l.name === t.name)?.value ?? '';
      if (existing !== '') clashes.push({ name: t.name, value: existing });
      merged.set(t.name, t.value);
    }
    clashes.sort((a, b) => a.name.length - b.name.length); // stable: equal lengths keep target order
    for (const clash of clashes) {
      let name = clash.name;
      do name = EXPORTED_LABEL_PREFIX + name;
      while (merged.get(name) !== '');
      merged.set(name, clash.value);
    }
  }
  return merged.labels();
}

/** Prometheus's label builder semantics: set with an empty value deletes; base labels with empty values are gone. */
class LabelBuilder {
  private readonly added = new Map<string, string>();
  private readonly deleted = new Set<string>();

  constructor(private readonly base: readonly Label[]) {
    for (const l of base) if (l.value === '') this.deleted.add(l.name);
  }

  set(name: string, value: string): void {
    if (value === '') {
      this.added.delete(name);
      this.deleted.add(name);
    } else {
      this.added.set(name, value);
    }
  }

  get(name: string): string {
    const added = this.added.get(name);
    if (added !== undefined) return added;
    if (this.deleted.has(name)) return '';
    return this.base.find((l) => l.name === name)?.value ?? '';
  }

  labels(): Label[] {
    // Duplicated names in the base survive (a later check rejects them), unless a set or delete replaced them.
    const kept = this.base.filter((l) => !this.deleted.has(l.name) && !this.added.has(l.name));
    return sortLabels([...kept, ...[...this.added].map(([name, value]) => ({ name, value }))]);
  }
}
