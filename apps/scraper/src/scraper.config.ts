/**
 * Settings of the scraper stage: the shared sections, its consumer (whose group and session timeout its shard
 * membership uses), and where its targets come from. A scrape config file that does not parse stops the
 * process at boot, naming the variable.
 */
import { consumerSection, scraperSection, type ConsumerSettings, type ScraperSettings } from '@sextant/config';
import { readFileSync } from 'node:fs';
import { parseScrapeConfig } from '@sextant/scrape';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface ScraperStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  scraper: ScraperSettings;
}

function configFileProblems(s: ScraperSettings): string[] {
  if (s.configFile === '') return [];
  try {
    parseScrapeConfig(readFileSync(s.configFile, 'utf8'));
    return [];
  } catch (e) {
    return [`SEXTANT_SCRAPER_CONFIG_FILE ${JSON.stringify(s.configFile)}: ${e instanceof Error ? e.message : String(e)}`];
  }
}

export function loadScraperSettings(env: Record<string, string | undefined> = process.env): ScraperStageSettings {
  return loadStageSettings('scraper', { consumer: consumerSection('scraper'), scraper: scraperSection }, { checks: [(v) => configFileProblems(v.scraper)] }, env);
}
