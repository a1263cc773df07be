/**
 * The per-sample rules of Prometheus's scrape loop over a parsed body: target labels merged (`honor_labels`),
 * series checks and label limits (the first violation fails the scrape), `sample_limit` (counted over the
 * whole body, then the scrape fails and nothing is kept), timestamps (`honor_timestamps`), exemplars over
 * budget dropped alone, a second sample of a series in one scrape dropped, samples more than 10 minutes in
 * the future dropped. There is no metric relabeling, so post-relabeling counts equal scraped counts.
 */
import { checkExemplar, checkSeriesLabels, ExpositionError, mergeTargetLabels, SampleLimiter, type ExpositionEntry } from '@sextant/exposition';
import type { FamilyMeta, ScrapedSeries, ScrapeFailureReason, ScrapeOutcome } from './scrape-outcome';
import type { ScrapeTarget } from './scrape-target';
import { seriesKeyOf } from './series-key';

/** How far ahead of the scrape a sample's timestamp may be (Prometheus's `maxAheadTime`). */
export const MAX_AHEAD_MS = 10 * 60_000;

/** Reads every entry of a body for `target`, scraped at `scrapeTimeMs`. Never throws for a bad body. */
export async function readScrape(entries: AsyncIterable<ExpositionEntry> | Iterable<ExpositionEntry>, target: ScrapeTarget, scrapeTimeMs: number): Promise<ScrapeOutcome> {
  const limiter = new SampleLimiter(target.sampleLimit);
  const series: ScrapedSeries[] = [];
  const metadata = new Map<string, FamilyMeta>();
  const seen = new Set<string>();
  let scraped = 0;
  let dropped = 0;
  const fail = (error: string, reason: ScrapeFailureReason): ScrapeOutcome => ({ ok: false, error, reason, samplesScraped: scraped, samplesPostRelabeling: limiter.samples, samplesDropped: dropped });
  try {
    for await (const entry of entries) {
      if (entry.kind !== 'series') continue;
      scraped++;
      const labels = mergeTargetLabels(entry.labels, target.labels, target.honorLabels);
      const problem = checkSeriesLabels(labels, target);
      if (problem !== undefined) return fail(problem, /_limit exceeded/.test(problem) ? 'label_limit' : 'invalid_series');
      if (!limiter.add()) continue;
      const explicitTimestamp = target.honorTimestamps && entry.timestampMs !== undefined;
      const timestampMs = explicitTimestamp ? (entry.timestampMs as number) : scrapeTimeMs;
      const key = seriesKeyOf(labels);
      if (seen.has(key) || timestampMs > scrapeTimeMs + MAX_AHEAD_MS) {
        dropped++;
        continue;
      }
      seen.add(key);
      const exemplar = entry.exemplar !== undefined && checkExemplar(entry.exemplar) === undefined ? entry.exemplar : undefined;
      series.push({ labels, value: entry.value, timestampMs, explicitTimestamp, ...(exemplar === undefined ? {} : { exemplar }) });
      if (entry.metadata !== undefined) metadata.set(entry.metadata.family, { type: entry.metadata.type, help: entry.metadata.help, unit: entry.metadata.unit });
    }
  } catch (err) {
    if (!(err instanceof ExpositionError)) throw err;
    return fail(err.message, err.reason === 'body size limit exceeded' ? 'body_size' : 'parse');
  }
  if (limiter.exceeded) return fail(limiter.error, 'sample_limit');
  return { ok: true, series, metadata, samplesScraped: scraped, samplesPostRelabeling: limiter.samples, samplesDropped: dropped };
}
