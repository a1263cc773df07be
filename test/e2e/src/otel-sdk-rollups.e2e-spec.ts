/**
 * The OpenTelemetry JS SDK, through ingest, the aggregator and the sink, into ClickHouse. Six meter providers
 * record the same measurements at the same moments: every instrument kind (counter, up-down counter, gauge,
 * explicit and exponential histogram), exported with delta and with cumulative temporality over OTLP/HTTP
 * JSON, OTLP/HTTP protobuf and OTLP/gRPC, each as its own tenant. Then:
 * - every data point each exporter sent is stored once in `sextant_metric_samples`, and the OpenTelemetry
 *   exporter tables hold them too;
 * - the six tenants' rollup rows (10 s and 1 m) are identical: delta and cumulative inputs give the same
 *   increases, rates, counts, buckets and quantiles (floats to 12 digits). The one difference by design: a
 *   cumulative histogram's min and max cover its whole life, so its window has them only when they moved.
 * Collections are taken by hand a few seconds into four consecutive 10 s windows of one minute, so the points
 * of all six providers fall into the same windows. Afterwards a sample far later on every partition moves the
 * watermark past them, which closes every window.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metadata } from '@grpc/grpc-js';
import { OTLPMetricExporter as OtlpHttpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpHttpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { Pipeline } from '@sextant/testing';

const SERVICE = 'checkout';
const ROUTES = ['/cart', '/checkout', '/pay'];
const STEPS = 4;
const PROTOCOLS = ['json', 'proto', 'grpc'] as const;
const TEMPORALITIES = [
  ['delta', AggregationTemporality.DELTA],
  ['cumulative', AggregationTemporality.CUMULATIVE],
] as const;
type Protocol = (typeof PROTOCOLS)[number];

/**
 * An exporter that counts the data points it exported successfully. Once `tally.closed` is set it drops what it
 * is handed: the collection a provider's shutdown makes would add one more cumulative point (delta exports
 * nothing when nothing changed), which is a different input, not a different aggregation.
 */
function counted(inner: PushMetricExporter, tally: { points: number; closed: boolean }): PushMetricExporter {
  return {
    export: (metrics: ResourceMetrics, done) => {
      if (tally.closed) return done({ code: 0 });
      inner.export(metrics, (result) => {
        if (result.code === 0) tally.points += metrics.scopeMetrics.reduce((n, sm) => n + sm.metrics.reduce((m, md) => m + md.dataPoints.length, 0), 0);
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregationTemporality: inner.selectAggregationTemporality?.bind(inner),
  };
}

function exporterFor(protocol: Protocol, temporality: AggregationTemporality, tenant: string, http: string, grpc: string): PushMetricExporter {
  const headers = { 'X-Scope-OrgID': tenant };
  if (protocol === 'json') return new OtlpHttpJsonMetricExporter({ url: `${http}/v1/metrics`, headers, temporalityPreference: temporality }) as unknown as PushMetricExporter;
  if (protocol === 'proto') return new OtlpHttpProtoMetricExporter({ url: `${http}/v1/metrics`, headers, temporalityPreference: temporality }) as unknown as PushMetricExporter;
  const metadata = new Metadata();
  metadata.set('x-scope-orgid', tenant);
  return new OtlpGrpcMetricExporter({ url: grpc, metadata, temporalityPreference: temporality }) as unknown as PushMetricExporter;
}

/** One provider with every instrument kind; `record(step)` records the same measurements in each. */
function instrumented(exporter: PushMetricExporter) {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE, 'service.instance.id': `${SERVICE}-1` }),
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } }],
  });
  const meter = provider.getMeter('sextant-e2e', '1.2.3');
  const requests = meter.createCounter('http.server.requests', { unit: '{request}' });
  const inFlight = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
  const temperature = meter.createGauge('cpu.temperature', { unit: 'Cel' });
  const latency = meter.createHistogram('http.server.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
  const payload = meter.createHistogram('payload.size', { unit: 'By' });
  return {
    provider,
    record(step: number): void {
      for (const [i, route] of ROUTES.entries()) {
        requests.add((i + 1) * (step + 1), { 'http.route': route });
        inFlight.add(step % 2 === 0 ? 3 : -1, { 'http.route': route });
        latency.record(0.05 * (i + 1) + 0.2 * step, { 'http.route': route });
        latency.record(0.7, { 'http.route': route });
      }
      temperature.record(60 + step, { core: '0' });
      for (const size of [1, 10, 100, 1000]) payload.record(size * (step + 1));
    },
    collect: () => provider.forceFlush(),
  };
}

/** Waits until the wall clock is `offsetMs` into a window of `windowMs` (the next one when past it). */
async function untilInto(windowMs: number, offsetMs: number): Promise<void> {
  const now = Date.now();
  const target = Math.floor(now / windowMs) * windowMs + offsetMs;
  await sleep((target > now ? target : target + windowMs) - now);
}

/** A stored rollup row, as compared. */
interface Rollup {
  MetricName: string;
  Kind: string;
  Min: number | null;
  Max: number | null;
  Increase: number | null;
  [column: string]: unknown;
}

/**
 * A row as compared across temporalities: floats to 12 significant digits (a cumulative sum's difference and a
 * delta's sum may differ in the last bits), and a histogram's min and max left out (compared on their own).
 */
function round(v: unknown): unknown {
  return typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(round) : v;
}

function comparable(row: Rollup): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!(row.Kind === 'HISTOGRAM' && (k === 'Min' || k === 'Max'))) out[k] = round(v);
  return JSON.stringify(out);
}

describe('OpenTelemetry SDK metrics, delta and cumulative, through the aggregator into ClickHouse', () => {
  const pipeline = new Pipeline({ SEXTANT_AGGREGATOR_ALLOWED_LATENESS_MS: '1000', SEXTANT_AGGREGATOR_MAX_OUT_OF_ORDER_MS: '1000' });
  const runs: { tenant: string; tally: { points: number; closed: boolean } }[] = [];
  let http = '';

  before(async () => {
    await pipeline.start('sink', 'aggregator');
    const ingest = await pipeline.add('ingest');
    await ingest.waitReady();
    http = `http://127.0.0.1:${ingest.httpPort}`;
    const grpc = `http://127.0.0.1:${ingest.env['SEXTANT_INGEST_GRPC_PORT']}`;
    // Start early in a minute, so the providers' start time and all four collections share its 1 m window.
    await untilInto(60_000, 1_000);
    const providers = PROTOCOLS.flatMap((protocol) =>
      TEMPORALITIES.map(([name, temporality]) => {
        const tenant = `${protocol}-${name}`;
        const tally = { points: 0, closed: false };
        runs.push({ tenant, tally });
        return instrumented(counted(exporterFor(protocol, temporality, tenant, http, grpc), tally));
      }),
    );
    for (let step = 0; step < STEPS; step++) {
      await untilInto(10_000, 3_000);
      for (const p of providers) p.record(step);
      await Promise.all(providers.map((p) => p.collect()));
    }
    for (const run of runs) run.tally.closed = true;
    await Promise.all(providers.map((p) => p.provider.shutdown()));
    // Close every window: a gauge sample two minutes on, on every partition (one series per partition at least).
    const later = (BigInt(Date.now()) + 120_000n) * 1_000_000n;
    const res = await fetch(`${http}/v1/metrics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Scope-OrgID': 'clock' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'clock' } }] },
            scopeMetrics: [{ metrics: [{ name: 'clock.tick', gauge: { dataPoints: Array.from({ length: 30 }, (_, i) => ({ timeUnixNano: later.toString(), asDouble: 1, attributes: [{ key: 'n', value: { stringValue: String(i) } }] })) } }] }],
          },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.text());
  });

  after(async () => {
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  it('stores every data point each exporter sent, once, in the samples and the OpenTelemetry exporter tables', async () => {
    for (const { tenant, tally } of runs) {
      // Per step: 3 counter, 3 up-down, 1 gauge, 3 histogram and 1 exponential histogram points at most.
      assert.ok(tally.points >= STEPS * 11 - 2, `${tenant} exported ${tally.points} points`);
      // A gauge or sum point is one sample; a histogram point is stored as its _bucket, _sum and _count samples.
      const count = async () => {
        const [s] = await pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.sextant_metric_samples WHERE Tenant = '${tenant}' AND NOT endsWith(MetricName, '_sum') AND NOT endsWith(MetricName, '_bucket')`);
        const otel = await pipeline.query<{ c: string }>(['gauge', 'sum', 'histogram', 'exp_histogram'].map((t) => `SELECT count() AS c FROM sextant.otel_metrics_${t} WHERE Tenant = '${tenant}'`).join(' UNION ALL '));
        return { samples: Number(s?.c), otel: otel.reduce((n, r) => n + Number(r.c), 0) };
      };
      const got = await pipeline.eventually(count, (g) => g.samples >= tally.points && g.otel >= tally.points, 60_000, `${tenant}'s points in ClickHouse`);
      assert.equal(got.samples, tally.points, `${tenant}: samples stored = points exported`);
      assert.equal(got.otel, tally.points, `${tenant}: otel_metrics_* rows = points exported`);
    }
  });

  it('gives identical rollups for delta and cumulative temporality over every protocol', async () => {
    const columns = `MetricName, Labels, ServiceName, Unit, WindowStart, WindowEnd, Kind, Count, Sum, Min, Max, Last, Increase, Rate, Resets, ExplicitBounds, BucketCounts,
      Scale, ZeroCount, PositiveOffset, PositiveBucketCounts, NegativeOffset, NegativeBucketCounts, Quantiles.Quantile, Quantiles.Value, Overflow`;
    const rowsOf = async (tenant: string, resolution: string): Promise<Rollup[]> =>
      pipeline.query<Rollup>(`SELECT ${columns} FROM sextant.sextant_metric_rollups_${resolution} FINAL WHERE Tenant = '${tenant}' ORDER BY MetricName, toString(Labels), WindowStart`);
    const [reference] = runs;
    assert.ok(reference?.tenant.endsWith('-delta'));
    for (const resolution of ['10s', '1m']) {
      // Five metrics with 3+3+1+3+1 series: every series' windows.
      const expected = await pipeline.eventually(() => rowsOf(reference.tenant, resolution), (rows) => rows.length >= (resolution === '1m' ? 11 : 11 * STEPS), 90_000, `${resolution} rollups`);
      for (const { tenant } of runs.slice(1)) {
        const rows = await pipeline.eventually(() => rowsOf(tenant, resolution), (r) => r.length >= expected.length, 30_000, `${tenant}'s ${resolution} rollups`);
        assert.deepEqual(rows.map(comparable), expected.map(comparable), `${tenant} ${resolution} rollups equal ${reference.tenant}'s`);
        // A cumulative histogram's min and max cover its whole life, so a window knows them only when they move.
        rows.forEach((row, i) => {
          const want = expected[i];
          if (row.Kind !== 'HISTOGRAM' || !want) return;
          if (tenant.endsWith('-delta') || row.Min !== null) assert.equal(round(row.Min), round(want.Min), `${tenant} ${row.MetricName} min`);
          if (tenant.endsWith('-delta') || row.Max !== null) assert.equal(round(row.Max), round(want.Max), `${tenant} ${row.MetricName} max`);
        });
      }
      if (resolution === '1m') {
        // (i+1) × (1+2+3+4) per route: the counter's whole increase inside the minute.
        const counters = expected.filter((r) => r.MetricName === 'http.server.requests');
        assert.deepEqual(counters.map((r) => r.Increase).sort((a, b) => Number(a) - Number(b)), [10, 20, 30]);
      }
    }
  });
});
