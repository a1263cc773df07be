import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayToNextScrapeMs, scrapeOffsetMs } from './jitter';

describe('scrape offsets (jitter)', () => {
  it('are deterministic per key and seed, and change with the seed', () => {
    const key = 'node|http://10.0.0.1:9100/metrics{instance="10.0.0.1:9100",job="node"}';
    assert.equal(scrapeOffsetMs(key, 15_000, 'replica-a'), scrapeOffsetMs(key, 15_000, 'replica-a'));
    const seeds = new Set(['a', 'b', 'c', 'd', 'e'].map((seed) => scrapeOffsetMs(key, 15_000, seed)));
    assert.ok(seeds.size >= 4, 'different replicas put one target at different offsets');
  });

  it('spread targets evenly over the interval', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 2000; i++) {
      const offset = scrapeOffsetMs(`job|http://10.0.${i >> 8}.${i & 255}:9100/metrics`, 60_000, 'seed');
      assert.ok(offset >= 0 && offset < 60_000);
      buckets[Math.floor(offset / 6000)]!++;
    }
    for (const n of buckets) assert.ok(n > 140 && n < 260, `each tenth of the interval holds about 200 of 2000 targets: ${buckets.join(',')}`);
  });

  it('schedule the next scrape where now mod interval equals the offset', () => {
    assert.equal(delayToNextScrapeMs(100_000, 15_000, 2000), 7000); // 100000 mod 15000 = 10000: phase 2000 comes at 107000
    assert.equal(delayToNextScrapeMs(100_000, 15_000, 12_000), 2000);
    assert.equal(delayToNextScrapeMs(105_000, 15_000, 0), 15_000);
    for (let now = 1_000_000; now < 1_000_100; now += 7) {
      const d = delayToNextScrapeMs(now, 1000, 250);
      assert.ok(d > 0 && d <= 1000);
      assert.equal((now + d) % 1000, 250);
    }
  });
});
