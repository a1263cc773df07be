import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avroType, avroTypeOptions, METRIC_BATCH_SCHEMA, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { AvroSerde } from '@sextant/kafka';
import { createRemoteWriteDecoder, encodeRemoteWriteBody, metricSamplesOf, REMOTE_WRITE_V1, STALE_NAN } from '@sextant/remote-write';
import pino from 'pino';
import { Registry } from 'prom-client';
import { MetricBatchWriter, metricBatchSerde } from './metric-batch.writer';

const ID = 7;

function realSerde(schema: object = METRIC_BATCH_SCHEMA): AvroSerde {
  const s = new AvroSerde({ url: 'http://127.0.0.1:9/unused', username: '', password: '' }, avroTypeOptions(), { logger: pino({ level: 'silent' }), metrics: new Registry() });
  (s as unknown as { writers: Map<number, unknown> }).writers.set(ID, avroType(schema));
  return s;
}

/** A tiny deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Remote-write samples of random requests: random labels (some non-ASCII), timestamps, values, stale markers. */
function randomSamples(seed: number): MetricSample[] {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const text = () => pick(['a', 'node', 'Zürich ✓', '10.0.0.1:9100', 'x'.repeat(70), '𝄞 clef', '']);
  const timeseries = Array.from({ length: 1 + Math.floor(next() * 30) }, () => ({
    labels: [
      { name: '__name__', value: pick(['up', 'http_requests_total', 'température']) },
      ...Array.from({ length: Math.floor(next() * 6) }, (_v, i) => ({ name: `${pick(['job', 'instance', 'le', 'zone.name'])}${i}`, value: text() })),
    ],
    samples: Array.from({ length: Math.floor(next() * 4) }, () => ({
      value: pick([0, -0, 1.5, -1e300, Number.NaN, STALE_NAN, Number.POSITIVE_INFINITY, next() * 1e9]),
      timestamp: pick([0, 1, -1500, 1_733_100_000_000 - Math.floor(next() * 1e6)]),
    })),
  }));
  const body = encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries, metadata: [{ type: 'COUNTER', metric_family_name: 'http_requests_total', help: 'Requests ✓.', unit: '' }] });
  const request = createRemoteWriteDecoder({ maxAheadMs: Infinity }).decode({ contentType: 'application/x-protobuf', contentEncoding: 'snappy', body });
  return metricSamplesOf(request, pick(['acme', 'tenant/ü']));
}

describe('MetricBatchWriter', () => {
  it('writes the serde\'s bytes for 200 random remote-write envelopes, series remembered across them', () => {
    const serde = realSerde();
    const writer = new MetricBatchWriter();
    for (let seed = 1; seed <= 200; seed++) {
      const batch: MetricBatch = { records: randomSamples(seed) };
      assert.deepEqual(writer.encode(ID, batch), serde.encodeSync(ID, batch), `seed ${seed}`);
    }
  });

  it('writes the serde\'s bytes for samples it leaves to avsc, among plain ones, and for OTLP-shaped ones', () => {
    const serde = realSerde();
    const writer = new MetricBatchWriter();
    const [plain] = randomSamples(3).filter((s) => s.exemplars.length === 0);
    assert.ok(plain);
    const batch: MetricBatch = {
      records: [
        plain,
        { ...plain, exemplars: [{ timeUnixNano: 5n, value: 1, traceId: 'ab', spanId: '', filteredAttributes: { user: 'u' } }] },
        { ...plain, type: 'SUMMARY', summary: { count: 3n, sum: 2, quantiles: [{ quantile: 0.5, value: 1 }] } },
        { ...plain, flags: 1000 },
        { ...plain, attributes: { ...plain.attributes, extra: 'not frozen' }, resource: { 'service.name': 'checkout' } },
        { ...plain, startTimeUnixNano: -(2n ** 63n), timeUnixNano: 2n ** 63n - 1n },
        plain,
      ],
    };
    assert.deepEqual(writer.encode(ID, batch), serde.encodeSync(ID, batch));
  });
});

describe('metricBatchSerde', () => {
  const counting = (serde: AvroSerde) => {
    let calls = 0;
    const counted = Object.create(serde) as AvroSerde;
    counted.encodeSync = (id, value) => {
      calls++;
      return serde.encodeSync(id, value);
    };
    return { counted, calls: () => calls };
  };

  it('writes envelopes itself once it has seen its bytes match the serde\'s', () => {
    const { counted, calls } = counting(realSerde());
    const fast = metricBatchSerde(counted, ID);
    const batch: MetricBatch = { records: randomSamples(9) };
    assert.deepEqual(fast.encodeSync(ID, batch), realSerde().encodeSync(ID, batch));
    const afterCheck = calls();
    fast.encodeSync(ID, batch);
    assert.equal(calls(), afterCheck);
  });

  it('leaves every envelope to the serde when the schema under the id is not the one it writes', () => {
    const other = { ...METRIC_BATCH_SCHEMA, fields: [...METRIC_BATCH_SCHEMA.fields, { name: 'note', type: 'string', default: '' }] };
    const serde = realSerde(other);
    const fast = metricBatchSerde(serde, ID);
    const batch = { records: randomSamples(4), note: 'n' };
    assert.deepEqual(fast.encodeSync(ID, batch), serde.encodeSync(ID, batch));
  });

  it('leaves other schema ids, and the asynchronous path, to the serde', async () => {
    const serde = realSerde();
    const fast = metricBatchSerde(serde, ID + 1);
    const batch: MetricBatch = { records: randomSamples(5) };
    assert.deepEqual(fast.encodeSync(ID, batch), serde.encodeSync(ID, batch));
    assert.deepEqual(await fast.encode(ID, batch), serde.encodeSync(ID, batch));
  });
});
