/** What one scrape produced, before it becomes samples: the kept series or the failure, and the counts. */
import type { Exemplar, Label, MetricType } from '@sextant/exposition';

/** Why a scrape failed, for metrics (`scrape_failures_total{reason}`). */
export type ScrapeFailureReason = 'http' | 'timeout' | 'content_type' | 'parse' | 'body_size' | 'sample_limit' | 'label_limit' | 'invalid_series';

/** One sample of a scrape that is to be stored, target labels merged. */
export interface ScrapedSeries {
  /** Sorted, `__name__` included. */
  readonly labels: readonly Label[];
  readonly value: number;
  /** The exposition's timestamp when honored, else the scrape's start time. */
  readonly timestampMs: number;
  /** Whether `timestampMs` came from the exposition (such series get no staleness markers, as in Prometheus). */
  readonly explicitTimestamp: boolean;
  readonly exemplar?: Exemplar;
}

/** Family metadata as the remote-write model carries it. */
export interface FamilyMeta {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

interface OutcomeCounts {
  /** Samples in the body (`scrape_samples_scraped`). */
  readonly samplesScraped: number;
  /** Samples after relabeling, over the limit or not (`scrape_samples_post_metric_relabeling`). */
  readonly samplesPostRelabeling: number;
  /** Duplicates and samples too far in the future, dropped alone (the scrape still succeeds). */
  readonly samplesDropped: number;
}

export type ScrapeOutcome =
  | (OutcomeCounts & { readonly ok: true; readonly series: readonly ScrapedSeries[]; readonly metadata: ReadonlyMap<string, FamilyMeta> })
  | (OutcomeCounts & { readonly ok: false; readonly error: string; readonly reason: ScrapeFailureReason });
