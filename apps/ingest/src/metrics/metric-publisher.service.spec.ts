import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { avroType, avroTypeOptions, METRIC_BATCH_SCHEMA, type MetricSample } from '@sextant/contracts';
import { AvroSerde } from '@sextant/kafka';
import { createRemoteWriteDecoder, encodeRemoteWriteBody, metricSamplesOf, REMOTE_WRITE_V1, STALE_NAN, type MetricMetadata } from '@sextant/remote-write';
import type { StageRuntime } from '@sextant/stage-runtime';
import pino from 'pino';
import { Registry } from 'prom-client';
import { MetricPublisher } from './metric-publisher.service';

const SCHEMA_ID = 4242;
const PARTITIONS = 6;
const NOW_MS = 1_733_100_000_000;
const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = '00f067aa0ba902b7';

/** A real AvroSerde whose envelope writer type is cached as register() caches it, so no registry is asked. */
function serde(): AvroSerde {
  const s = new AvroSerde({ url: 'http://127.0.0.1:9/unused', username: '', password: '' }, avroTypeOptions(), { logger: pino({ level: 'silent' }), metrics: new Registry() });
  (s as unknown as { writers: Map<number, unknown> }).writers.set(SCHEMA_ID, avroType(METRIC_BATCH_SCHEMA));
  return s;
}

function publisher(envelopeMaxRecords: number, envelopeMaxBytes: number): MetricPublisher {
  const runtime = {
    topic: () => 'sextant.ingest.metrics',
    settings: { producer: { envelopeMaxRecords, envelopeMaxBytes } },
    serde: serde(),
    envelopeSchemaId: () => SCHEMA_ID,
    connection: { partitionCount: async () => PARTITIONS },
  } as unknown as StageRuntime;
  return new MetricPublisher(runtime);
}

const labels = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));

/** A 1.0 request exercising every mapping rule the publisher's output depends on. */
function fixedRequest(): Record<string, unknown> {
  const timeseries: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    const pairs: [string, string][] = [['job', i % 3 === 0 ? 'api' : 'node'], ['__name__', 'http_requests_total'], ['instance', `10.0.0.${i % 7}:9100`], ['code', String(200 + (i % 5))]];
    if (i % 4 === 0) pairs.push(['path', `/v1/items/${i}`]);
    timeseries.push({ labels: labels(pairs), samples: [{ value: i * 1.5, timestamp: NOW_MS - 2000 }, { value: i % 9 === 0 ? STALE_NAN : i * 1.5 + 1, timestamp: NOW_MS - 1000 }] });
  }
  timeseries.push(
    { labels: labels([['__name__', 'rpc_duration_seconds_bucket'], ['le', '0.5'], ['job', 'rpc']]), samples: [{ value: 7, timestamp: NOW_MS }] },
    { labels: labels([['__name__', 'rpc_duration_seconds_sum'], ['job', 'rpc']]), samples: [{ value: 3.25, timestamp: NOW_MS }] },
    { labels: labels([['__name__', 'rpc_duration_seconds_count'], ['job', 'rpc']]), samples: [{ value: 7, timestamp: NOW_MS }] },
    { labels: labels([['__name__', 'known_elsewhere_total'], ['job', 'x']]), samples: [{ value: 1, timestamp: NOW_MS }] },
    // Non-ASCII, characters the series key escapes, a label with an empty value (dropped), a non-legacy name.
    { labels: labels([['__name__', 'temp_celsius'], ['room', 'Zürich ✓'], ['odd.label', 'a"b\\c\nd'], ['empty', ''], ['job', 'home/attic%']]), samples: [{ value: -0, timestamp: NOW_MS }, { value: Number.NaN, timestamp: NOW_MS + 1 }] },
    { labels: labels([['__name__', 'température_ambiante'], ['job', 'x']]), samples: [{ value: Number.POSITIVE_INFINITY, timestamp: 0 }, { value: -1e300, timestamp: -1500 }, { value: 5e-324, timestamp: 1 }] },
    // The same series twice in one request.
    { labels: labels([['__name__', 'up'], ['job', 'node'], ['instance', 'a']]), samples: [{ value: 1, timestamp: NOW_MS - 10 }] },
    { labels: labels([['__name__', 'up'], ['instance', 'a'], ['job', 'node']]), samples: [{ value: 0, timestamp: NOW_MS - 5 }] },
    // Invalid (no __name__): left out.
    { labels: labels([['job', 'nameless']]), samples: [{ value: 1, timestamp: NOW_MS }] },
    // Exemplars, one without a timestamp (it takes the last sample's).
    {
      labels: labels([['__name__', 'http_requests_total'], ['job', 'shop'], ['code', '500']]),
      samples: [{ value: 10, timestamp: NOW_MS - 3 }],
      exemplars: [
        { labels: labels([['trace_id', TRACE.toUpperCase()], ['span_id', SPAN], ['user', 'u1']]), value: 0.7, timestamp: NOW_MS - 6 },
        { labels: labels([['trace_id', 'not-hex']]), value: 2, timestamp: 0 },
      ],
    },
    // Native histograms: integer exponential, float gauge histogram, custom buckets, stale.
    {
      labels: labels([['__name__', 'latency_seconds'], ['job', 'api']]),
      histograms: [
        { count_int: 8, sum: 12.5, schema: 2, zero_threshold: 0.001, zero_count_int: 1, positive_spans: [{ offset: 1, length: 2 }, { offset: 1, length: 1 }], positive_deltas: [2, -1, 2], negative_spans: [{ offset: -1, length: 1 }], negative_deltas: [1], timestamp: NOW_MS - 10 },
        { count_float: 3.6, sum: 1.5, schema: 0, zero_count_float: 0.4, positive_spans: [{ offset: 0, length: 2 }], positive_counts: [1.2, 2.4], reset_hint: 'GAUGE', timestamp: NOW_MS - 8 },
        { count_float: 2, sum: 1.5, schema: -53, positive_spans: [{ offset: 1, length: 1 }], positive_counts: [2], custom_values: [0.5, 1, 5], timestamp: NOW_MS - 5 },
        { count_int: 0, sum: STALE_NAN, schema: 1, timestamp: NOW_MS - 1 },
      ],
      exemplars: [{ labels: labels([['span_id', SPAN]]), value: 0.2, timestamp: NOW_MS - 9 }],
    },
  );
  return {
    timeseries,
    metadata: [
      { type: 'COUNTER', metric_family_name: 'http_requests_total', help: 'Requests.', unit: '' },
      { type: 'HISTOGRAM', metric_family_name: 'rpc_duration_seconds', help: 'RPC latency.', unit: 'seconds' },
      { type: 'GAUGE', metric_family_name: 'temp_celsius', help: 'Temperature.', unit: 'Cel' },
      { type: 'HISTOGRAM', metric_family_name: 'latency_seconds', help: 'Latency.', unit: 's' },
    ],
  };
}

const decoder = createRemoteWriteDecoder();
const known = new Map<string, MetricMetadata>([['known_elsewhere', { type: 'counter', help: 'From an earlier request.', unit: '' }]]);
const FIXTURES = join(dirname(require.resolve('@sextant/remote-write/package.json')), 'src', 'testdata');
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

function samplesOf(body: Uint8Array, contentType: string, tenant: string, nowMs: number): MetricSample[] {
  const request = decoder.decode({ contentType, contentEncoding: 'snappy', body }, nowMs);
  return metricSamplesOf(request, tenant, (family) => known.get(family));
}

/** SHA-256 over every envelope (its key and bytes, in order) and every refused sample. */
async function digestOf(samples: MetricSample[], envelopeMaxRecords: number, envelopeMaxBytes: number): Promise<{ digest: string; messages: number; tooLarge: number }> {
  const packed = await publisher(envelopeMaxRecords, envelopeMaxBytes).pack(samples);
  const hash = createHash('sha256');
  for (const m of packed.messages) hash.update(`${JSON.stringify(m.key)}:${(m.value as Buffer).toString('hex')}\n`);
  for (const t of packed.tooLarge) hash.update(`too large ${t.index} ${t.bytes}\n`);
  return { digest: hash.digest('hex'), messages: packed.messages.length, tooLarge: packed.tooLarge.length };
}

/**
 * The envelope bytes of fixed requests, pinned: the remote-write path (decode, samples, pack) may be made faster,
 * never different. A change here changes what lands on ingest.metrics.
 */
describe('MetricPublisher envelopes of remote-write requests (pinned bytes)', () => {
  const fixed = () => samplesOf(encodeRemoteWriteBody(REMOTE_WRITE_V1, fixedRequest()), 'application/x-protobuf', 'acme/eu%1', NOW_MS);

  it('a request exercising every mapping rule, in envelopes cut by record count', async () => {
    assert.deepEqual(await digestOf(fixed(), 7, 1_000_000), { digest: 'f64e6ed954b88fe02aa569c0513f0e7511a5c762b3bf774849770fe33dfb7c05', messages: 17, tooLarge: 0 });
  });

  it('the same, in envelopes cut by bytes, with samples too large for any envelope', async () => {
    assert.deepEqual(await digestOf(fixed(), 500, 200), { digest: '64e3a42e1c9c9c76321dd825cb1d27b8e3f76454313604ba64b9188153c94bee', messages: 92, tooLarge: 1 });
  });

  it('bodies sent by a real Prometheus (2.42, remote write 1.0; v0.316.0, 2.0)', async () => {
    const at = Date.UTC(2026, 11, 2, 7);
    const samples = [
      ...samplesOf(readFileSync(join(FIXTURES, 'prometheus-2.42-samples.bin')), 'application/x-protobuf', 'acme', at),
      ...samplesOf(readFileSync(join(FIXTURES, 'prometheus-v0.316.0-v2-histograms.bin')), V2, 'acme', at),
      ...samplesOf(readFileSync(join(FIXTURES, 'prometheus-v0.316.0-v2-stale.bin')), V2, 'acme', at),
    ];
    assert.deepEqual(await digestOf(samples, 100, 1_000_000), { digest: 'fb98cbb60ccd7b5cb8786d27bb08c255d670fd84c0889df97dbea2d78aec3a8d', messages: 18, tooLarge: 0 });
  });

  it('OTLP-shaped samples (series keyed with job and instance from the resource)', async () => {
    const base = fixed()[0] as MetricSample;
    const samples: MetricSample[] = [
      { ...base, attributes: { code: '200' }, resource: { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1' } },
      { ...base, attributes: { code: '200', job: 'mine' }, resource: { 'service.name': 'checkout' } },
      { ...base, attributes: {}, resource: { 'service.instance.id': 'pod-2' } },
    ];
    assert.deepEqual(await digestOf(samples, 2, 1_000_000), { digest: 'a4c83905e36e53203c0eca1ed81022f57b81425260c32069c727240099caf6a6', messages: 3, tooLarge: 0 });
  });
});
