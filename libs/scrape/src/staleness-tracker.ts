/**
 * Prometheus's staleness handling for one target: a series stored by the previous scrape and absent from
 * this one gets a staleness marker (StaleNaN) at this scrape's time; a failed scrape counts as an empty one
 * (every series of the previous scrape goes stale); so does the end of the target. Series with timestamps
 * of their own are not tracked, as in Prometheus (without `track_timestamps_staleness`).
 */
import type { Label } from '@sextant/exposition';
import { STALE_NAN } from '@sextant/remote-write';
import type { ScrapedSeries } from './scrape-outcome';
import { seriesKeyOf } from './series-key';
import type { OutputPoint } from './to-metric-samples';

export class StalenessTracker {
  /** Series of the previous scrape that would go stale. */
  private previous = new Map<string, readonly Label[]>();
  /** Series of the last successful scrape, for `scrape_series_added`. */
  private known = new Set<string>();

  /** After a successful scrape: markers for what vanished, and how many of `series` are new. */
  succeeded(series: readonly ScrapedSeries[], timestampMs: number): { stale: OutputPoint[]; seriesAdded: number } {
    const current = new Map<string, readonly Label[]>();
    const known = new Set<string>();
    let seriesAdded = 0;
    for (const s of series) {
      const key = seriesKeyOf(s.labels);
      known.add(key);
      if (!this.known.has(key)) seriesAdded++;
      if (!s.explicitTimestamp) current.set(key, s.labels);
    }
    const stale = this.markers([...this.previous].filter(([key]) => !current.has(key)).map(([, labels]) => labels), timestampMs);
    this.previous = current;
    this.known = known;
    return { stale, seriesAdded };
  }

  /** After a failed scrape, or when the target ends: markers for every series of the previous scrape. */
  emptied(timestampMs: number): OutputPoint[] {
    const stale = this.markers([...this.previous.values()], timestampMs);
    this.previous = new Map();
    return stale;
  }

  /** How many series would go stale now. */
  get tracked(): number {
    return this.previous.size;
  }

  private markers(labelSets: readonly (readonly Label[])[], timestampMs: number): OutputPoint[] {
    return labelSets.map((labels) => ({ labels, value: STALE_NAN, timestampMs }));
  }
}
