/** Targets for tests, over the defaults. */
import { DEFAULT_SCRAPE_SETTINGS, makeTarget, type ScrapeSettings, type ScrapeTarget } from '../scrape-target';

export function testTarget(address: string, settings: Partial<ScrapeSettings> = {}, labels: Record<string, string> = {}, job = 'node'): ScrapeTarget {
  return makeTarget({ job, scheme: 'http', address, metricsPath: '/metrics', labels, settings: { ...DEFAULT_SCRAPE_SETTINGS, intervalMs: 1000, timeoutMs: 500, ...settings } });
}
