/** A scrape sink for tests: keeps every call's samples. */
import type { MetricSample } from '@sextant/contracts';
import type { ScrapeTarget } from '../scrape-target';

export interface SinkCall {
  readonly target: ScrapeTarget;
  readonly samples: readonly MetricSample[];
}

export class RecordingSink {
  readonly calls: SinkCall[] = [];
  /** Pass as the `sink` option. */
  readonly sink = async (samples: MetricSample[], target: ScrapeTarget): Promise<void> => {
    this.calls.push({ target, samples });
  };

  /** The samples of the latest call. */
  get last(): readonly MetricSample[] {
    return this.calls[this.calls.length - 1]?.samples ?? [];
  }

  /** The value of the sample named `name` (whose attributes include `attrs`) in the latest call. */
  value(name: string, attrs: Readonly<Record<string, string>> = {}): number | undefined {
    return find(this.last, name, attrs)?.value;
  }
}

/** The first sample named `name` whose attributes include `attrs`. */
export function find(samples: readonly MetricSample[], name: string, attrs: Readonly<Record<string, string>> = {}): MetricSample | undefined {
  return samples.find((s) => s.name === name && Object.entries(attrs).every(([k, v]) => s.attributes[k] === v));
}

/** Whether `s` is a staleness marker. */
export function isStale(s: MetricSample): boolean {
  return (s.flags & 1) === 1;
}
