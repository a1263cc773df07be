/**
 * Metric family metadata as Prometheus's scrape loop keeps it: `# TYPE`, `# HELP` and `# UNIT` lines update
 * the entry of their family name, and a sample gets the entry of the latest metadata line only when its name
 * belongs to that family (the family name, or the family name with a suffix its type allows).
 */
import type { FamilyMetadata, MetricType } from './exposition.model';

export class FamilyMetadataTracker {
  private readonly families = new Map<string, FamilyMetadata>();
  private last: FamilyMetadata | undefined;

  setType(family: string, type: MetricType): void {
    this.update(family, { type });
  }

  setHelp(family: string, help: string): void {
    this.update(family, { help });
  }

  setUnit(family: string, unit: string): void {
    this.update(family, { unit });
  }

  /** Metadata for a sample named `metricName`, or undefined when it is not of the latest family. */
  metadataFor(metricName: string): FamilyMetadata | undefined {
    const last = this.last;
    return last !== undefined && isSeriesPartOfFamily(metricName, last.family, last.type) ? last : undefined;
  }

  private update(family: string, change: Partial<FamilyMetadata>): void {
    const current = this.families.get(family) ?? { family, type: 'unknown', help: '', unit: '' };
    const next = Object.freeze({ ...current, ...change });
    this.families.set(family, next);
    this.last = next;
  }
}

const FAMILY_SUFFIXES: Partial<Record<MetricType, readonly string[]>> = {
  counter: ['_total'],
  histogram: ['_bucket', '_sum', '_count'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count'],
  info: ['_info'],
};

/** Whether a sample named `metricName` belongs to `family` of `type` (Prometheus's `isSeriesPartOfFamily`). */
export function isSeriesPartOfFamily(metricName: string, family: string, type: MetricType): boolean {
  if (!metricName.startsWith(family)) return false;
  let familyName = family;
  // Counters and infos may be declared with their suffix (`# TYPE x_total counter`).
  if (type === 'counter' && familyName.endsWith('_total')) familyName = familyName.slice(0, -'_total'.length);
  if (type === 'info' && familyName.endsWith('_info')) familyName = familyName.slice(0, -'_info'.length);
  const suffix = (FAMILY_SUFFIXES[type] ?? []).find((x) => metricName.endsWith(x));
  const name = suffix === undefined ? metricName : metricName.slice(0, -suffix.length);
  return name === familyName;
}
