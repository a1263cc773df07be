import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sextant/config';
import { loadScraperSettings } from './scraper.config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadScraperSettings(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  assert.fail('expected a ConfigError');
}

describe('loadScraperSettings', () => {
  it('scrapes Sextant\'s own stages by default, on their declared ports, and nothing else', () => {
    const s = loadScraperSettings({});
    assert.deepEqual(s.scraper.selfTargets, ['127.0.0.1:4318', '127.0.0.1:8301', '127.0.0.1:8302', '127.0.0.1:8303', '127.0.0.1:8304']);
    assert.equal(s.scraper.configFile, '');
    assert.equal(s.scraper.kubernetes, false);
    assert.deepEqual(s.scraper.namespaces, []);
    assert.equal(s.consumer.groupId, 'sextant-scraper');
    assert.deepEqual(loadScraperSettings({ SEXTANT_SCRAPER_SELF_TARGETS: 'none' }).scraper.selfTargets, []);
  });

  it('stops at boot on a scrape config file that does not parse, or a bad self target, naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scraper-config-'));
    try {
      const file = join(dir, 'scrape.yml');
      writeFileSync(file, 'scrape_configs:\n  - job_name: node\n    scrape_interval: soon\n');
      assert.match(problemsOf({ SEXTANT_SCRAPER_CONFIG_FILE: file }).join('\n'), /^SEXTANT_SCRAPER_CONFIG_FILE ".*scrape\.yml": .*scrape_interval/s);
      assert.match(problemsOf({ SEXTANT_SCRAPER_CONFIG_FILE: join(dir, 'absent.yml') }).join('\n'), /SEXTANT_SCRAPER_CONFIG_FILE .*absent\.yml/);
      assert.deepEqual(problemsOf({ SEXTANT_SCRAPER_SELF_TARGETS: 'http://x:1' }), ['SEXTANT_SCRAPER_SELF_TARGETS entry "http://x:1" is not host:port']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
