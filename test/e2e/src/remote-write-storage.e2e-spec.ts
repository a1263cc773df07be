/**
 * Real Prometheus servers remote-write to Sextant for three minutes, and every sample they report sent is
 * stored in ClickHouse, once:
 * - Debian's Prometheus 2.42 scrapes Debian's node_exporter and writes remote write 1.0;
 * - Prometheus 3 (built from github.com/prometheus/prometheus v0.316.0) scrapes the same node_exporter and
 *   itself, with native histograms, and writes remote write 2.0 (`io.prometheus.write.v2.Request`).
 * Each writes as its own tenant (its bearer token's). Afterwards their scrape targets are removed (which writes
 * their staleness markers), the queues drain, and then: neither reports a failed or retried sample; the
 * samples each reports sent equal the rows stored for its tenant (a native histogram is stored as one
 * native-histogram row plus its `_sum` and `_count` samples); and stored values equal what Prometheus holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pipeline } from '@sextant/testing';
import { NodeExporter, PrometheusServer, prometheus3Binary } from './prometheus-server';

/** How long both servers scrape and write: the acceptance's three minutes. */
const WRITE_MS = Number(process.env['SEXTANT_E2E_REMOTE_WRITE_MS'] ?? 180_000);
const V1_TENANT = 'prom2';
const V2_TENANT = 'prom3';

function config(opts: { writeUrl: string; tenant: string; targets: string[]; self?: string; v2: boolean }): string {
  const lines = ['global: { scrape_interval: 5s, evaluation_interval: 5s }', 'scrape_configs:'];
  if (opts.targets.length > 0) lines.push(`  - { job_name: node, static_configs: [ { targets: [${opts.targets.map((t) => `"${t}"`).join(', ')}] } ] }`);
  if (opts.self) lines.push(`  - { job_name: prometheus, scrape_native_histograms: true, static_configs: [ { targets: ["${opts.self}"] } ] }`);
  if (opts.targets.length === 0 && !opts.self) lines[1] = 'scrape_configs: []';
  lines.push(
    'remote_write:',
    `  - url: ${opts.writeUrl}`,
    // The tenant comes from the bearer token (Debian's 2.42 build does not send remote_write `headers`).
    `    authorization: { credentials: token-${opts.tenant} }`,
    '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 2s }',
  );
  if (opts.v2) lines.push('    protobuf_message: io.prometheus.write.v2.Request', '    send_native_histograms: true');
  else lines.push('    metadata_config: { send: true, send_interval: 5s }');
  return `${lines.join('\n')}\n`;
}

interface Sent {
  samples: number;
  histograms: number;
  failed: number;
  retried: number;
}

/** The queue's counters once it has drained and nothing more is sent (read twice, 3 s apart, equal). */
async function drained(p: PrometheusServer): Promise<Sent> {
  const read = async (): Promise<Sent & { pending: number }> => ({
    samples: await p.ownMetric('prometheus_remote_storage_samples_total'),
    histograms: (await p.ownMetric('prometheus_remote_storage_histograms_total')) || 0,
    failed: (await p.ownMetric('prometheus_remote_storage_samples_failed_total')) + ((await p.ownMetric('prometheus_remote_storage_histograms_failed_total')) || 0),
    retried: (await p.ownMetric('prometheus_remote_storage_samples_retried_total')) + ((await p.ownMetric('prometheus_remote_storage_histograms_retried_total')) || 0),
    pending: (await p.ownMetric('prometheus_remote_storage_samples_pending')) + ((await p.ownMetric('prometheus_remote_storage_histograms_pending')) || 0),
  });
  const deadline = Date.now() + 90_000;
  let last = await read();
  while (Date.now() < deadline) {
    await sleep(3_000);
    const now = await read();
    if (now.pending === 0 && now.samples === last.samples && now.histograms === last.histograms) return now;
    last = now;
  }
  throw new Error(`remote-write queue did not drain in 90 s: ${JSON.stringify(last)}; log: ${p.logTail()}`);
}

describe('Prometheus 2 and 3 remote-write for three minutes: every sample sent is stored', () => {
  const pipeline = new Pipeline();
  let exporter: NodeExporter | undefined;
  let v1: PrometheusServer | undefined;
  let v2: PrometheusServer | undefined;
  let writeUrl = '';
  const sent = new Map<string, Sent>();

  before(async () => {
    const binary3 = prometheus3Binary();
    const tokens = join(pipeline.dir, 'tokens');
    writeFileSync(tokens, `token-${V1_TENANT} ${V1_TENANT}\ntoken-${V2_TENANT} ${V2_TENANT}\n`);
    await pipeline.start('sink');
    await (await pipeline.add('ingest', { SEXTANT_AUTH_TOKENS_FILE: tokens })).waitReady();
    writeUrl = `http://127.0.0.1:${pipeline.stage('ingest').httpPort}/api/v1/write`;
    exporter = await NodeExporter.start();
    v1 = await PrometheusServer.start('prometheus', join(pipeline.dir, 'prom2'), config({ writeUrl, tenant: V1_TENANT, targets: [exporter.address], v2: false }));
    v2 = await PrometheusServer.start(binary3, join(pipeline.dir, 'prom3'), config({ writeUrl, tenant: V2_TENANT, targets: [exporter.address], v2: true }));
    // Its own address is known only now: scrape itself too (native histograms).
    await v2.reload(config({ writeUrl, tenant: V2_TENANT, targets: [exporter.address], self: `127.0.0.1:${v2.port}`, v2: true }));
    await sleep(WRITE_MS);
    // node_exporter goes away: the next scrape of each server fails, which writes the staleness markers of
    // every series the target had. Then scraping stops altogether, so that nothing more is written.
    await exporter.stop();
    await sleep(12_000);
    await v1.reload(config({ writeUrl, tenant: V1_TENANT, targets: [], v2: false }));
    await v2.reload(config({ writeUrl, tenant: V2_TENANT, targets: [], v2: true }));
    // A stopped scrape loop may still write its end-of-run markers up to two intervals later.
    await sleep(12_000);
    const [s1, s2] = await Promise.all([drained(v1), drained(v2)]);
    sent.set(V1_TENANT, s1);
    sent.set(V2_TENANT, s2);
  });

  after(async () => {
    await Promise.all([v1?.stop(), v2?.stop(), exporter?.stop()]);
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  async function stored(tenant: string): Promise<{ samples: number; native: number; stale: number }> {
    const [s] = await pipeline.query<{ c: string; stale: string }>(`SELECT count() AS c, countIf(Flags = 1) AS stale FROM sextant.sextant_metric_samples WHERE Tenant = '${tenant}'`);
    const [n] = await pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.sextant_metric_native_histograms WHERE Tenant = '${tenant}'`);
    return { samples: Number(s?.c), native: Number(n?.c), stale: Number(s?.stale) };
  }

  for (const [tenant, what] of [[V1_TENANT, 'Prometheus 2.42, remote write 1.0'], [V2_TENANT, 'Prometheus 3, remote write 2.0 with native histograms']] as const) {
    it(`${what}: nothing failed or retried, and the samples stored equal the samples sent`, async () => {
      const s = sent.get(tenant);
      assert.ok(s, 'the writer ran');
      assert.equal(s.failed, 0, 'samples failed');
      assert.equal(s.retried, 0, 'samples retried');
      assert.ok(s.samples > 1000, `samples sent: ${s.samples}`);
      if (tenant === V2_TENANT) assert.ok(s.histograms > 0, `native histograms sent: ${s.histograms}`);
      // The sink lags ingest's acknowledgements by a flush interval or two.
      const got = await pipeline
        .eventually(() => stored(tenant), (g) => g.native >= s.histograms && g.samples >= s.samples + 2 * s.histograms, 60_000, `${tenant}'s samples in ClickHouse (sent: ${JSON.stringify(s)})`)
        .catch(async (e: unknown) => {
          const tenants = await pipeline.query(`SELECT Tenant, count() AS rows, countIf(Flags = 1) AS stale FROM sextant.sextant_metric_samples GROUP BY Tenant`).catch((q: unknown) => String(q));
          throw new Error(`${String(e)}\nrows per tenant: ${JSON.stringify(tenants)}\nsink log:\n${pipeline.stage('sink').tail(30)}\ningest log:\n${pipeline.stage('ingest').tail(10)}`);
        });
      await sleep(3_000);
      assert.deepEqual(await stored(tenant), got, 'no more rows arrive later');
      assert.equal(got.native, s.histograms, 'native histograms stored = sent');
      assert.equal(got.samples - 2 * got.native, s.samples, 'float samples stored = sent');
      assert.ok(got.stale > 0, 'the staleness markers of the removed targets are stored, flagged');
    });
  }

  it('stores the values Prometheus holds, sample for sample', async () => {
    assert.ok(v1);
    // Every raw sample Prometheus holds for one node_exporter counter (a range selector leaves out its staleness
    // marker), against the stored samples of that series.
    const [reference] = await v1.rawSamples('node_cpu_seconds_total{cpu="0",mode="idle"}', '1h');
    assert.ok(reference && reference.values.length >= WRITE_MS / 5_000 - 2, `Prometheus has the series' samples (${reference?.values.length})`);
    const rows = await pipeline.query<{ ms: string; Value: number }>(
      `SELECT toUnixTimestamp64Milli(TimeUnix) AS ms, Value FROM sextant.sextant_metric_samples WHERE Tenant = '${V1_TENANT}' AND MetricName = 'node_cpu_seconds_total' AND Flags = 0
         AND SeriesId IN (SELECT SeriesId FROM sextant.sextant_metric_series WHERE Tenant = '${V1_TENANT}' AND MetricName = 'node_cpu_seconds_total' AND Labels['cpu'] = '0' AND Labels['mode'] = 'idle')
       ORDER BY TimeUnix`,
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.ms), Number(r.Value)]),
      reference.values.map(([t, v]) => [Math.round(t * 1000), Number(v)]),
    );
  });
});
