/**
 * The series Prometheus adds to every scrape of a target, with the target labels: `up` (1 when the scrape
 * succeeded), `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`,
 * `scrape_series_added`; and their staleness markers when the target goes away.
 */
import { METRIC_NAME_LABEL, sortLabels, type Label } from '@sextant/exposition';
import { STALE_NAN } from '@sextant/remote-write';
import type { OutputPoint } from './to-metric-samples';

/** The report series' names, in Prometheus's order. */
export const REPORT_SERIES_NAMES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

/** The values of one scrape's report. */
export interface ScrapeReportValues {
  readonly up: boolean;
  readonly durationSeconds: number;
  readonly samplesScraped: number;
  readonly samplesPostRelabeling: number;
  readonly seriesAdded: number;
}

/** The five report points of one scrape, at the scrape's start time. */
export function reportPoints(targetLabels: readonly Label[], values: ScrapeReportValues, timestampMs: number): OutputPoint[] {
  const byName: Record<(typeof REPORT_SERIES_NAMES)[number], number> = {
    up: values.up ? 1 : 0,
    scrape_duration_seconds: values.durationSeconds,
    scrape_samples_scraped: values.samplesScraped,
    scrape_samples_post_metric_relabeling: values.samplesPostRelabeling,
    scrape_series_added: values.seriesAdded,
  };
  return REPORT_SERIES_NAMES.map((name) => ({ labels: reportLabels(targetLabels, name), value: byName[name], timestampMs }));
}

/** Staleness markers for the five report series. */
export function staleReportPoints(targetLabels: readonly Label[], timestampMs: number): OutputPoint[] {
  return REPORT_SERIES_NAMES.map((name) => ({ labels: reportLabels(targetLabels, name), value: STALE_NAN, timestampMs }));
}

function reportLabels(targetLabels: readonly Label[], name: string): Label[] {
  return sortLabels([{ name: METRIC_NAME_LABEL, value: name }, ...targetLabels.filter((l) => l.name !== METRIC_NAME_LABEL)]);
}
