/**
 * Sextant scrapes node_exporter itself, beside a real Prometheus (Debian's 2.42) scraping the same exporter at
 * the same interval. Two scraper replicas share the targets through their shard group, and the sink stores
 * what they publish. Then:
 * - the series Sextant stored are exactly the series Prometheus holds for the job (name and labels, the
 *   per-target `up`, `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`
 *   and `scrape_series_added` included), and every series whose value did not change in Prometheus over those
 *   minutes has that value in Sextant too;
 * - each target is scraped by exactly one replica: one sample per interval, never two;
 * - Sextant's own stages are scraped as job "sextant";
 * - when node_exporter stops, `up` = 0 and the staleness markers of its series are stored within one interval.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pipeline, type StageProcess } from '@sextant/testing';
import { NodeExporter, PrometheusServer } from './prometheus-server';

const INTERVAL_S = 5;
const WATCH_MS = 60_000;

/**
 * A series as compared. `le` and `quantile` values are compared as numbers: Sextant writes them in the
 * canonical float form (`1` becomes `1.0`), as Prometheus 3 does; Prometheus 2 keeps them as exposed.
 */
function series(name: string, labels: Record<string, string>): string {
  const canonical = (k: string, v: string): string => (k === 'le' || k === 'quantile' ? String(Number(v)) : v);
  const rest = Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .map(([k, v]) => [k, canonical(k, v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${rest.join(',')}}`;
}

async function scraperMetric(p: StageProcess, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${p.httpPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('the scraper scrapes node_exporter as Prometheus does', () => {
  const pipeline = new Pipeline({ SEXTANT_CONSUMER_SESSION_TIMEOUT_MS: '6000', SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS: '500', SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '3000', SEXTANT_SINK_FLUSH_INTERVAL_MS: '200' });
  let exporter: NodeExporter;
  let prometheus: PrometheusServer;
  const scrapers: StageProcess[] = [];
  let fromMs = 0;
  let stoppedAtMs = 0;

  before(async () => {
    exporter = await NodeExporter.start();
    const [sink] = await pipeline.start('sink');
    const config = join(pipeline.dir, 'scrape.yml');
    writeFileSync(config, `global: { scrape_interval: ${INTERVAL_S}s }\nscrape_configs:\n  - job_name: node\n    static_configs: [ { targets: ["${exporter.address}"] } ]\n`);
    for (let i = 0; i < 2; i++) scrapers.push(await pipeline.add('scraper', { SEXTANT_SCRAPER_CONFIG_FILE: config, SEXTANT_SCRAPER_SELF_TARGETS: `127.0.0.1:${sink?.httpPort}` }));
    await Promise.all(scrapers.map((s) => s.waitReady()));
    prometheus = await PrometheusServer.start('prometheus', join(pipeline.dir, 'prometheus'), `global: { scrape_interval: ${INTERVAL_S}s }\nscrape_configs:\n  - job_name: node\n    static_configs: [ { targets: ["${exporter.address}"] } ]\n`);
    // Both replicas in the group, each owning shards, before the minutes compared.
    await pipeline.eventually(() => Promise.all(scrapers.map((s) => scraperMetric(s, 'sextant_scraper_shards', ''))), (n) => n.every((x) => x > 0), 60_000, 'both scrapers holding shards');
    fromMs = Date.now();
    await sleep(WATCH_MS);
  });

  after(async () => {
    await Promise.all([prometheus?.stop(), exporter?.stop()]);
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  const storedSeries = async (job: string, fromTime: number, toTime: number) =>
    pipeline.query<{ MetricName: string; Labels: Record<string, string>; SeriesId: string }>(
      `SELECT DISTINCT MetricName, Labels, toString(SeriesId) AS SeriesId FROM sextant.sextant_metric_series WHERE Tenant = 'default' AND Labels['job'] = '${job}'
         AND SeriesId IN (SELECT SeriesId FROM sextant.sextant_metric_samples WHERE Tenant = 'default' AND TimeUnix BETWEEN fromUnixTimestamp64Milli(${fromTime}) AND fromUnixTimestamp64Milli(${toTime}))`,
    );

  it('stores the series Prometheus holds for the job, and the values of those that did not change', async () => {
    const toMs = fromMs + WATCH_MS - 10_000;
    const reference = await prometheus.rawSamples(`{job="node"}`, `${Math.round((Date.now() - fromMs) / 1000)}s`);
    assert.ok(reference.length > 100, `Prometheus holds node_exporter's series (${reference.length})`);
    const theirs = new Map(reference.map((r) => [series(r.metric['__name__'] ?? '', r.metric), r]));
    const ours = new Map((await storedSeries('node', fromMs, toMs)).map((r) => [series(r.MetricName, r.Labels), r]));
    const missing = [...theirs.keys()].filter((k) => !ours.has(k));
    const extra = [...ours.keys()].filter((k) => !theirs.has(k));
    assert.deepEqual({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }, { missing: [], extra: [] }, `${missing.length} missing, ${extra.length} extra of ${theirs.size}`);
    for (const report of ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']) {
      assert.ok([...ours.keys()].some((k) => k.startsWith(`${report}{`)), `${report} stored`);
    }
    // Values: every host series constant over these minutes in both has the same value in both. A few host
    // values move between the moments the two scrape (memory counters, say): those are counted, and must be few.
    // (The exporter's own go_* and process_* series move with every scrape of it, whoever scrapes.)
    const valuesOf = new Map(
      (
        await pipeline.query<{ SeriesId: string; values: number[] }>(
          `SELECT toString(SeriesId) AS SeriesId, groupUniqArray(Value) AS values FROM sextant.sextant_metric_samples WHERE Tenant = 'default' AND Flags = 0 AND TimeUnix BETWEEN fromUnixTimestamp64Milli(${fromMs}) AND fromUnixTimestamp64Milli(${toMs}) GROUP BY SeriesId`,
        )
      ).map((r) => [r.SeriesId, r.values.map(Number)]),
    );
    let compared = 0;
    let moved = 0;
    for (const [key, r] of theirs) {
      const values = new Set(r.values.map(([, v]) => Number(v)));
      if (values.size !== 1 || !key.startsWith('node_') || key.startsWith('node_scrape_')) continue;
      const mine = valuesOf.get(ours.get(key)?.SeriesId ?? '');
      assert.ok(mine && mine.length > 0, `${key}: no samples stored`);
      if (mine.length > 1) {
        moved++;
        continue;
      }
      assert.equal(mine[0], [...values][0], key);
      compared++;
    }
    assert.ok(moved <= compared / 20, `${moved} host series moved between scrapes, ${compared} compared`);
    assert.ok(compared > 50, `constant series compared: ${compared}`);
  });

  it('scrapes each target with exactly one replica, once per interval', async () => {
    const active = await Promise.all(scrapers.map((s) => scraperMetric(s, 'sextant_scraper_targets', 'state="active"')));
    assert.equal(active[0]! + active[1]!, 2, `active targets per replica: ${active.join(', ')}`);
    const [upSeries] = (await storedSeries('node', fromMs, fromMs + WATCH_MS)).filter((s) => s.MetricName === 'up');
    assert.ok(upSeries);
    const rows = await pipeline.query<{ ms: string }>(
      `SELECT toUnixTimestamp64Milli(TimeUnix) AS ms FROM sextant.sextant_metric_samples WHERE Tenant = 'default' AND SeriesId = ${upSeries.SeriesId} AND TimeUnix BETWEEN fromUnixTimestamp64Milli(${fromMs}) AND fromUnixTimestamp64Milli(${fromMs + WATCH_MS}) ORDER BY TimeUnix`,
    );
    const times = rows.map((r) => Number(r.ms));
    assert.ok(times.length >= WATCH_MS / 1000 / INTERVAL_S - 2 && times.length <= WATCH_MS / 1000 / INTERVAL_S + 1, `up samples in ${WATCH_MS / 1000} s: ${times.length}`);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! > (INTERVAL_S * 1000) / 2, `two samples ${times[i]! - times[i - 1]!} ms apart`);
  });

  it('scrapes Sextant\'s own stages as job "sextant"', async () => {
    const rows = await pipeline.query<{ Value: number }>(
      `SELECT Value FROM sextant.sextant_metric_samples WHERE Tenant = 'default' AND MetricName = 'up' AND SeriesId IN (SELECT SeriesId FROM sextant.sextant_metric_series WHERE Labels['job'] = 'sextant') ORDER BY TimeUnix DESC LIMIT 1`,
    );
    assert.equal(Number(rows[0]?.Value), 1);
    const own = await pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.sextant_metric_series WHERE Labels['job'] = 'sextant' AND MetricName LIKE 'sextant_sink_%'`);
    assert.ok(Number(own[0]?.c) > 0, 'the sink\'s own metrics are stored');
  });

  it('writes up = 0 and the staleness markers of the series within one interval when node_exporter stops', async () => {
    await exporter.stop();
    stoppedAtMs = Date.now();
    const upSeries = (await storedSeries('node', fromMs, stoppedAtMs)).find((s) => s.MetricName === 'up');
    assert.ok(upSeries);
    const down = await pipeline.eventually(
      () => pipeline.query<{ ms: string }>(`SELECT toUnixTimestamp64Milli(TimeUnix) AS ms FROM sextant.sextant_metric_samples WHERE SeriesId = ${upSeries.SeriesId} AND Value = 0 AND TimeUnix >= fromUnixTimestamp64Milli(${stoppedAtMs}) ORDER BY TimeUnix LIMIT 1`),
      (r) => r.length > 0,
      30_000,
      'up = 0 stored',
    );
    assert.ok(Number(down[0]?.ms) - stoppedAtMs <= INTERVAL_S * 1000 + 1000, `up = 0 ${Number(down[0]?.ms) - stoppedAtMs} ms after the exporter stopped`);
    const stale = await pipeline.eventually(
      () =>
        pipeline.query<{ n: string; first: string }>(
          `SELECT count() AS n, min(toUnixTimestamp64Milli(TimeUnix)) AS first FROM sextant.sextant_metric_samples WHERE Tenant = 'default' AND Flags = 1 AND MetricName LIKE 'node_%' AND TimeUnix >= fromUnixTimestamp64Milli(${stoppedAtMs})`,
        ),
      (r) => Number(r[0]?.n) > 100,
      30_000,
      'staleness markers of node_exporter\'s series',
    );
    assert.ok(Number(stale[0]?.first) - stoppedAtMs <= INTERVAL_S * 1000 + 1000, `staleness ${Number(stale[0]?.first) - stoppedAtMs} ms after the exporter stopped`);
  });
});
