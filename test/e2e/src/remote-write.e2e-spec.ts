/**
 * Prometheus remote write in, with the real sender: Debian's `prometheus` scrapes two targets every second, the
 * ingest stage's own /metrics and a small exporter run by the test, and remote-writes everything (samples and
 * metadata) to ingest's `/api/v1/write`. What Prometheus stored for those targets is the reference: every
 * series it has reaches ingest.metrics with the value Prometheus has for it, counters typed as cumulative
 * monotonic sums from the metadata; and when the exporter goes away, Prometheus's staleness markers arrive as
 * flagged samples. Bad bodies get Prometheus's answers: 400, 415, and 204 for a good one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry, Counter, Gauge } from 'prom-client';
import { avroTypeOptions, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { AvroSerde, KafkaConnection } from '@sextant/kafka';
import { encodeRemoteWriteBody, REMOTE_WRITE_CONTENT_TYPES, REMOTE_WRITE_V1 } from '@sextant/remote-write';
import { CommittedTopicReader, Pipeline, freePort } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';

const KAFKA_BROKERS = process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const REGISTRY_URL = process.env['SEXTANT_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081';

/** The exporter the test runs: a counter and a gauge with fixed values, in Prometheus text. */
async function startExporter(port: number): Promise<Server> {
  const registry = new Registry();
  const orders = new Counter({ name: 'shop_orders_total', help: 'Orders placed.', labelNames: ['region'], registers: [registry] });
  const queue = new Gauge({ name: 'shop_queue_depth', help: 'Orders waiting.', registers: [registry] });
  orders.inc({ region: 'eu' }, 7);
  orders.inc({ region: 'us' }, 3);
  queue.set(12);
  const server = createServer((_req, res) => {
    void registry.metrics().then((text) => {
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

interface PromSeries {
  metric: Record<string, string>;
  value: [number, string];
}

describe('Prometheus remote write → ingest.metrics', () => {
  const pipeline = new Pipeline();
  const deps = { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') };
  const conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'e2e-remote-write', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, avroTypeOptions(), deps);
  const seen: MetricSample[] = [];
  let reader: CommittedTopicReader;
  let prometheus: ChildProcess | undefined;
  let exporter: Server | undefined;
  let promUrl = '';
  let writeUrl = '';

  before(async () => {
    const ingest = await pipeline.add('ingest');
    await ingest.waitReady();
    writeUrl = `http://127.0.0.1:${ingest.httpPort}/api/v1/write`;
    reader = new CommittedTopicReader(conn, `${pipeline.prefix}ingest.metrics`, async (m) => {
      if (m.value === null) return;
      seen.push(...(await serde.decode<MetricBatch>(m.value)).value.records);
    });
    await reader.start();

    const exporterPort = await freePort();
    exporter = await startExporter(exporterPort);
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    const config = join(pipeline.dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        `  - { job_name: sextant-ingest, static_configs: [ { targets: ["127.0.0.1:${ingest.httpPort}"] } ] }`,
        `  - { job_name: shop, static_configs: [ { targets: ["127.0.0.1:${exporterPort}"] } ] }`,
        'remote_write:',
        `  - url: ${writeUrl}`,
        '    queue_config: { batch_send_deadline: 500ms, min_backoff: 100ms, max_backoff: 1s }',
        '    metadata_config: { send: true, send_interval: 1s }',
        '',
      ].join('\n'),
    );
    prometheus = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(pipeline.dir, 'prometheus-data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    prometheus.stderr?.on('data', (d: Buffer) => void (log = (log + d.toString()).slice(-4000)));
    await pipeline.eventually(async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status ?? 0, (s) => s === 200, 60_000, `prometheus ready (log: ${log})`);
  });

  after(async () => {
    prometheus?.kill('SIGKILL');
    exporter?.close();
    await reader?.close();
    await conn.close();
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  async function promQuery(expr: string): Promise<PromSeries[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { data: { result: PromSeries[] } };
    return body.data.result;
  }

  it('receives every series Prometheus scraped, with the values Prometheus stored, typed from its metadata', async () => {
    // The reference: what Prometheus itself holds for the exporter and for ingest's own metrics.
    const reference = await pipeline.eventually(() => promQuery('{job=~"shop|sextant-ingest"}'), (r) => r.some((s) => s.metric['__name__'] === 'shop_orders_total') && r.length > 20, 30_000, 'prometheus scraped both targets');
    const names = new Set(reference.map((s) => s.metric['__name__'] ?? ''));
    await pipeline.eventually(
      async () => {
        await reader.caughtUp();
        const got = new Set(seen.filter((s) => s.attributes['job'] === 'shop' || s.attributes['job'] === 'sextant-ingest').map((s) => s.name));
        return [...names].filter((n) => !got.has(n));
      },
      (missing) => missing.length === 0,
      60_000,
      'every series Prometheus has, on ingest.metrics',
    );
    const shop = seen.filter((s) => s.attributes['job'] === 'shop');
    for (const s of shop) {
      assert.equal(s.source, 'remote-write');
      assert.equal(s.tenant, 'default');
      assert.equal(s.serviceName, 'shop');
      assert.ok(s.attributes['instance']?.startsWith('127.0.0.1:'));
    }
    for (const region of ['eu', 'us']) {
      const [want] = await promQuery(`shop_orders_total{region="${region}"}`);
      assert.ok(want);
      const got = shop.filter((s) => s.name === 'shop_orders_total' && s.attributes['region'] === region && s.flags === 0);
      assert.ok(got.length > 0, region);
      for (const s of got) assert.equal(s.value, Number(want.value[1]));
    }
    assert.ok(shop.filter((s) => s.name === 'shop_queue_depth' && s.flags === 0).every((s) => s.value === 12));
    assert.ok(shop.filter((s) => s.name === 'up').every((s) => s.value === 1 || s.flags === 1));
    // Metadata arrives on its own schedule: once it has, the counter is typed as one.
    await pipeline.eventually(
      async () => {
        await reader.caughtUp();
        return seen.filter((s) => s.name === 'shop_orders_total' && s.type === 'SUM').length;
      },
      (n) => n > 0,
      30_000,
      'shop_orders_total typed from the metadata Prometheus sends',
    );
    const typed = seen.find((s) => s.name === 'shop_orders_total' && s.type === 'SUM');
    assert.equal(typed?.temporality, 'CUMULATIVE');
    assert.equal(typed?.isMonotonic, true);
    assert.equal(typed?.description, 'Orders placed.');
  });

  it('carries the staleness markers Prometheus writes when a target goes away', async () => {
    await new Promise<void>((resolve) => exporter?.close(() => resolve()) ?? resolve());
    exporter = undefined;
    await pipeline.eventually(
      async () => {
        await reader.caughtUp();
        return seen.filter((s) => s.attributes['job'] === 'shop' && s.name === 'shop_queue_depth' && s.flags === 1);
      },
      (stale) => stale.length > 0,
      60_000,
      'a staleness marker for the vanished target',
    );
    const marker = seen.find((s) => s.attributes['job'] === 'shop' && s.name === 'shop_queue_depth' && s.flags === 1);
    assert.ok(marker && Number.isNaN(marker.value));
    await pipeline.eventually(
      async () => {
        await reader.caughtUp();
        return seen.filter((s) => s.attributes['job'] === 'shop' && s.name === 'up' && s.flags === 0 && s.value === 0).length;
      },
      (n) => n > 0,
      30_000,
      'up = 0 for the vanished target',
    );
  });

  it("answers as Prometheus's receiver does: 204, 400 for a bad body, 415 for another message type", async () => {
    const ms = Date.now();
    const good = encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries: [{ labels: [{ name: '__name__', value: 'e2e_probe' }, { name: 'job', value: 'probe' }], samples: [{ value: 42, timestamp: ms }] }] });
    const post = (body: Uint8Array | string, contentType: string) =>
      fetch(writeUrl, { method: 'POST', headers: { 'Content-Type': contentType, 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' }, body });
    const ok = await post(good, REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V1]);
    assert.equal(ok.status, 204);
    const bad = await post(Buffer.from('not snappy at all'), REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V1]);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /snappy/);
    const otherMessage = await post(good, 'application/x-protobuf;proto=io.prometheus.write.v9.Request');
    assert.equal(otherMessage.status, 415);
    await pipeline.eventually(async () => { await reader.caughtUp(); return seen.filter((s) => s.name === 'e2e_probe'); }, (p) => p.length === 1, 30_000, 'the probe sample');
    await sleep(500);
    await reader.caughtUp();
    assert.deepEqual(seen.filter((s) => s.name === 'e2e_probe').map((s) => [s.value, s.timeUnixNano]), [[42, BigInt(ms) * 1_000_000n]]);
  });
});
