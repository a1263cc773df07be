/** The scraper stage's own metrics, read from its scrape manager and shard membership whenever /metrics is read. */
import type { ScrapeManager } from '@sextant/scrape';
import { Counter, Gauge, type Registry } from 'prom-client';

export function scraperMetrics(registry: Registry, manager: ScrapeManager, shards: () => readonly number[]): void {
  new Gauge({
    name: 'sextant_scraper_targets',
    help: 'Targets by state: discovered (by every replica\'s discovery), owned (in this replica\'s shards), active (being scraped), up (last scrape succeeded), over_limit (owned but beyond SEXTANT_SCRAPER_MAX_TARGETS, not scraped).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = manager.stats();
      this.set({ state: 'discovered' }, s.targetsDiscovered);
      this.set({ state: 'owned' }, s.targetsOwned);
      this.set({ state: 'active' }, s.targetsActive);
      this.set({ state: 'up' }, s.targetsUp);
      this.set({ state: 'over_limit' }, s.targetsOverLimit);
    },
  });
  new Gauge({
    name: 'sextant_scraper_shards',
    help: 'Shards (partitions of scraper.shards) this replica holds.',
    registers: [registry],
    collect() {
      this.set(shards().length);
    },
  });
  // The manager keeps running totals; each collection shows them as they are.
  new Counter({
    name: 'sextant_scraper_scrapes_total',
    help: 'Scrapes by result: ok, or the reason they failed.',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      const s = manager.stats();
      this.reset();
      this.inc({ result: 'ok' }, s.scrapesOk);
      for (const [reason, n] of Object.entries(s.failuresByReason)) this.inc({ result: reason }, n ?? 0);
    },
  });
  new Counter({
    name: 'sextant_scraper_samples_total',
    help: 'Samples by outcome: scraped (in the bodies), stored (published to ingest.metrics), dropped_by_limit (scrapes over sample_limit), stale_markers (written).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      const s = manager.stats();
      this.reset();
      this.inc({ outcome: 'scraped' }, s.samplesScraped);
      this.inc({ outcome: 'stored' }, s.samplesStored);
      this.inc({ outcome: 'dropped_by_limit' }, s.samplesDroppedByLimit);
      this.inc({ outcome: 'stale_markers' }, s.staleMarkers);
    },
  });
  new Counter({
    name: 'sextant_scraper_publish_failures_total',
    help: 'Scrapes whose samples could not be published to Kafka (their samples are lost, as a failed scrape\'s are).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(manager.stats().sinkFailures);
    },
  });
}
