/**
 * Scraper stage: scrapes Prometheus targets (text 0.0.4 and OpenMetrics) from a static config file, Kubernetes
 * (annotated pods, the Prometheus Operator's ServiceMonitors and PodMonitors) and Sextant's own stages, and
 * publishes their samples, with up, scrape_duration_seconds and the other per-target series and staleness
 * markers, to ingest.metrics. Replicas split the targets by the shards their consumer group holds.
 */
import { runStage } from '@sextant/stage-runtime';
import { loadScraperSettings, type ScraperStageSettings } from './scraper.config';
import { ScraperModule } from './scraper.module';
import { Scraper } from './scraper';

void runStage<ScraperStageSettings, Scraper>({
  stage: 'scraper',
  loadSettings: () => loadScraperSettings(),
  prepare: (runtime, settings) => Scraper.start(runtime, settings),
  module: (runtime) => ScraperModule.forRoot(runtime),
  onClosed: (scraper) => scraper.stop(),
});
