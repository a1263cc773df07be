/**
 * Scraped series into the ingest.metrics contract through the remote-write mapping (`metricSamplesOf`), so a
 * scraped sample and the same sample remote-written by a Prometheus are typed identically: names, labels as
 * attributes, type from the family metadata (TYPE, HELP, UNIT), staleness markers as NO_RECORDED_VALUE.
 */
import type { MetricSample } from '@sextant/contracts';
import type { Label } from '@sextant/exposition';
import { metricSamplesOf, REMOTE_WRITE_V1, type MetricMetadata, type RemoteWriteRequest, type RemoteWriteSeries } from '@sextant/remote-write';
import type { FamilyMeta } from './scrape-outcome';

/** `MetricSample.source` of scraped samples. */
export const SCRAPE_SOURCE = 'scrape';

/** One point to hand on: a scraped sample, a report series, or a staleness marker (value STALE_NAN). */
export interface OutputPoint {
  readonly labels: readonly Label[];
  readonly value: number;
  readonly timestampMs: number;
  readonly exemplar?: { readonly labels: readonly Label[]; readonly value: number; readonly timestampMs?: number };
}

const NO_ITEMS: readonly never[] = Object.freeze([]);

/** The contract's samples of `points`, for `tenant`, typed by `metadata` (family name → TYPE/HELP/UNIT). */
export function toMetricSamples(points: readonly OutputPoint[], metadata: ReadonlyMap<string, FamilyMeta>, tenant: string): MetricSample[] {
  const series: RemoteWriteSeries[] = points.map((p) => ({
    labels: p.labels,
    samples: [{ timestampMs: p.timestampMs, value: p.value, startTimestampMs: 0 }],
    histograms: NO_ITEMS,
    exemplars: p.exemplar === undefined ? NO_ITEMS : [{ labels: p.exemplar.labels, value: p.exemplar.value, timestampMs: p.exemplar.timestampMs ?? 0 }],
    metadata: undefined,
  }));
  const request: RemoteWriteRequest = {
    message: REMOTE_WRITE_V1,
    series,
    metadata: metadata as ReadonlyMap<string, MetricMetadata>,
    counts: { samples: series.length, histograms: 0, exemplars: points.filter((p) => p.exemplar !== undefined).length },
    problems: NO_ITEMS,
  };
  const samples = metricSamplesOf(request, tenant);
  for (const s of samples) s.source = SCRAPE_SOURCE;
  return samples;
}
