import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { seriesKey, type MetricRollup, type MetricSample } from '@sextant/contracts';
import { Registry } from 'prom-client';
import { resolveClickHouseConfig, type ClickHouseConfig } from '../clickhouse.config';
import { createClickHouseClient } from '../clickhouse-client.factory';
import { migrate } from '../migrations/migrate';
import { sample } from '../tables/testdata/metric-sample-fixture';
import { ExactlyOnceMetricRollupWriter, ExactlyOnceMetricSampleWriter } from './exactly-once-metric-writer';
import { SinkStateStore } from './sink-state.store';
import { qualifiedTable } from '../sql-identifier';

const noRejects = async (): Promise<void> => undefined;
const NOW_NS = BigInt(Date.now()) * 1_000_000n;
const DB = 'sextant_metrics_it';

/** One message per sample type, two records each (two series). */
function batch(offsetBase: number): Array<{ offset: string; index: number; value: MetricSample }> {
  const h = { count: 6n, sum: 3, min: 0.1, max: 2, explicitBounds: [0.5, 1], bucketCounts: [1n, 2n, 3n] };
  const e = { count: 4n, sum: 2, min: null, max: null, scale: 1, zeroCount: 1n, zeroThreshold: 0, positive: { offset: 0, bucketCounts: [1n, 2n] }, negative: { offset: 0, bucketCounts: [] } };
  const kinds: Array<Partial<MetricSample>> = [
    { name: 'temp', type: 'GAUGE', value: NaN, source: 'otlp' },
    { name: 'req_total', type: 'SUM', value: 5, source: 'remote-write', flags: 1 },
    { name: 'lat', type: 'HISTOGRAM', histogram: h, source: 'otlp' },
    { name: 'size', type: 'EXPONENTIAL_HISTOGRAM', exponentialHistogram: e, source: 'kafka-otlp' },
    { name: 'rt', type: 'SUMMARY', summary: { count: 2n, sum: 1, quantiles: [{ quantile: 0.9, value: 0.8 }] }, source: 'scrape' },
  ];
  return kinds.flatMap((k, o) => [0, 1].map((i) => ({ offset: String(offsetBase + o), index: i, value: sample({ ...k, timeUnixNano: NOW_NS, attributes: { pod: `p${i}` } }) })));
}

describe('metric writers on embedded chDB', () => {
  let dir: string;
  let config: ClickHouseConfig;
  let client: ClickHouseClient;
  const count = async (table: string, where = '1'): Promise<number> => {
    const r = await client.query({ query: `SELECT toString(count()) AS n FROM ${DB}.${table} WHERE ${where}`, format: 'JSONEachRow' });
    return Number((await r.json<{ n: string }>())[0]?.n);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-metrics-'));
    config = resolveClickHouseConfig({ path: join(dir, 'store'), database: DB });
    client = createClickHouseClient(config);
    await migrate(client, config);
  });
  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every metric table with its TTL', async () => {
    const r = await client.query({ query: `SELECT name, engine_full FROM system.tables WHERE database = '${DB}' ORDER BY name`, format: 'JSONEachRow' });
    const tables = new Map((await r.json<{ name: string; engine_full: string }>()).map((t) => [t.name, t.engine_full]));
    for (const name of ['otel_metrics_gauge', 'otel_metrics_sum', 'otel_metrics_histogram', 'otel_metrics_exp_histogram', 'otel_metrics_summary', 'sextant_metric_samples', 'sextant_metric_native_histograms']) {
      assert.match(tables.get(name) ?? '', /TTL toDateTime\(TimeUnix\) \+ toIntervalDay\(30\)/, name);
    }
    assert.match(tables.get('sextant_metric_series') ?? '', /ReplacingMergeTree\(LastSeen\).*TTL Date \+ toIntervalDay\(30\)/s);
    assert.match(tables.get('sextant_metric_rollups_10s') ?? '', /ReplacingMergeTree\(Revision\).*TTL toDateTime\(WindowStart\) \+ toIntervalDay\(7\)/s);
    assert.match(tables.get('sextant_metric_rollups_1m') ?? '', /toIntervalDay\(90\)/);
    const changed = await migrate(client, { ...config, metrics: { ...config.metrics, ttlDays: 14 } });
    assert.ok(changed.metricTtlsChanged.includes('sextant_metric_samples'));
    await migrate(client, config);
  });

  it('stores samples of every type, classic series for PromQL and exporter rows for OTLP; a replay adds nothing', async () => {
    const writer = new ExactlyOnceMetricSampleWriter({ client, config, registry: new Registry() });
    const records = batch(0);
    const first = await writer.write(await writer.prepare('ingest.metrics', 0), records, { onRejected: noRejects });
    assert.equal(first.insertedRows, 10);
    // Per record: gauge 1, sum 1, histogram 3 buckets + _sum + _count, exp _sum + _count, summary 1 quantile + _sum + _count.
    assert.equal(await count('sextant_metric_samples'), 2 * (1 + 1 + 5 + 2 + 3));
    assert.equal(await count('sextant_metric_native_histograms'), 2);
    assert.deepEqual(
      [await count('otel_metrics_gauge'), await count('otel_metrics_sum'), await count('otel_metrics_histogram'), await count('otel_metrics_exp_histogram'), await count('otel_metrics_summary')],
      [2, 0, 2, 2, 0],
    );
    const r = await client.query({
      query: `SELECT toString(Value) AS v, Flags AS f FROM ${DB}.sextant_metric_samples s
        WHERE Tenant = 'acme' AND MetricName = 'lat_bucket' AND TimeUnix >= now64(9) - INTERVAL 1 HOUR
          AND SeriesId IN (SELECT SeriesId FROM ${DB}.sextant_metric_series WHERE Tenant = 'acme' AND MetricName = 'lat_bucket' AND Labels['pod'] = 'p1' AND Labels['le'] = '+Inf')`,
      format: 'JSONEachRow',
    });
    assert.deepEqual(await r.json(), [{ v: '6', f: 0 }]);
    const special = await client.query({ query: `SELECT MetricName AS m, toString(Value) AS v, Flags AS f FROM ${DB}.sextant_metric_samples WHERE MetricName IN ('temp', 'req_total') ORDER BY m LIMIT 1 BY m`, format: 'JSONEachRow' });
    assert.deepEqual(await special.json(), [{ m: 'req_total', v: '5', f: 1 }, { m: 'temp', v: 'nan', f: 0 }]);
    // A writer claimed the same range again and crashed mid-way: the replay goes in under the same tokens
    // (one per range, table and part), and ClickHouse drops every block it already has.
    const state = new SinkStateStore(client, qualifiedTable(DB, 'sextant_sink_state'));
    await state.claim({ table: `${DB}.sextant_metric_samples`, topic: 'ingest.metrics', partition: 0, epoch: '' }, 'crashed', 2, { first: 0n, last: 4n, rows: 10, referenceTimeNs: NOW_NS });
    const replay = await writer.write(await writer.prepare('ingest.metrics', 0), records, { onRejected: noRejects });
    assert.deepEqual([replay.replayedRows, replay.ranges[0]?.token], [10, first.ranges[0]?.token]);
    const redelivered = await writer.write(await writer.prepare('ingest.metrics', 0), [...records, ...batch(5)], { onRejected: noRejects });
    assert.deepEqual([redelivered.skippedRows, redelivered.insertedRows], [10, 10]);
    assert.equal(await count('sextant_metric_samples'), 2 * 2 * 12);
    assert.equal(await count('otel_metrics_histogram'), 4);
    assert.equal(await count('sextant_metric_series FINAL'), 2 * (1 + 1 + 5 + 3 + 3), 'one series row per series per day');
  });

  it('keeps the highest revision of a rollup window under FINAL, and refuses a window of no configured resolution', async () => {
    const writer = new ExactlyOnceMetricRollupWriter({ client, config, registry: new Registry() });
    const start = (NOW_NS / 10_000_000_000n) * 10_000_000_000n;
    const rollup = (revision: number, sum: number, seconds = 10n, shard = -1): MetricRollup => ({
      tenant: 'acme', seriesKey: seriesKey('acme', 'up', { job: 'a' }), name: 'up', labels: { job: 'a' }, serviceName: 'a', unit: '', windowStartUnixNano: start,
      windowEndUnixNano: start + seconds * 1_000_000_000n, kind: 'GAUGE', count: 2n, sum, min: null, max: null, last: 1, increase: null, rate: null, resets: 0,
      histogram: null, exponentialHistogram: null, quantiles: [], overflow: false, sourceTopic: 'ingest.metrics', revision, shard,
    });
    const rejected: string[] = [];
    const lease = await writer.prepare('metrics.rollups', 0);
    await writer.write(lease, [{ offset: '0', index: -1, value: rollup(0, 2) }, { offset: '1', index: -1, value: rollup(0, 5, 10n, 0) }], { onRejected: noRejects });
    await writer.write(lease, [{ offset: '2', index: -1, value: rollup(1, 3) }, { offset: '3', index: -1, value: rollup(0, 1, 7n) }], {
      onRejected: async (rows) => void rejected.push(...rows.map((r) => `${r.source.offset}: ${r.error.message}`)),
    });
    assert.equal(rejected.length, 1);
    assert.match(rejected[0] ?? '', /^3: .*no rollup table for a window of 7000000000 ns/);
    const r = await client.query({ query: `SELECT Shard AS s, Sum AS v, Revision AS rev FROM ${DB}.sextant_metric_rollups_10s FINAL ORDER BY s`, format: 'JSONEachRow' });
    assert.deepEqual(await r.json(), [{ s: -1, v: 3, rev: 1 }, { s: 0, v: 5, rev: 0 }]);
    assert.equal(await count('sextant_metric_rollups_10s'), 3, 'both revisions until a merge');
    const replay = await writer.write(await writer.prepare('metrics.rollups', 0), [{ offset: '2', index: -1, value: rollup(1, 3) }], { onRejected: noRejects });
    assert.equal(replay.skippedRows, 1);
    assert.equal(await count('sextant_metric_rollups_10s'), 3);
  });
});
