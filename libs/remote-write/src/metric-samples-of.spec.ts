import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avroType, METRIC_SAMPLE_SCHEMA, type MetricSample } from '@sextant/contracts';
import { createRemoteWriteDecoder } from './decode-remote-write';
import { encodeRemoteWriteBody } from './encode-remote-write';
import { metricSamplesOf, seriesScratchOf } from './metric-samples-of';
import { REMOTE_WRITE_V1 } from './remote-write.model';
import { STALE_NAN } from './stale-nan';
import { decodeV1, decodeV2, NOW_MS, SymbolTable, v1Labels } from './testdata/remote-write-requests';

const TRACE = '5b8efff798038103d269b633813fc60c';

/** Through the Avro contract, as ingest publishes them (plain objects). */
function viaContract(samples: MetricSample[]): MetricSample[] {
  const t = avroType(METRIC_SAMPLE_SCHEMA);
  return samples.map((s) => structuredClone(t.fromBuffer(t.toBuffer(s))) as MetricSample);
}

describe('metricSamplesOf', () => {
  it('maps 1.0 series by their family metadata: counters, classic histogram parts, gauges, unknown', () => {
    const at = NOW_MS - 1000;
    const series = (name: string, extra: [string, string][] = []) => ({ labels: v1Labels([['__name__', name], ...extra, ['instance', 'a:9100'], ['job', 'node']]), samples: [{ value: 3, timestamp: at }] });
    const request = decodeV1({
      timeseries: [
        series('http_requests_total', [['code', '200']]),
        series('http_request_duration_seconds_bucket', [['le', '0.5']]),
        series('http_request_duration_seconds_count'),
        series('http_request_duration_seconds_sum'),
        series('rpc_latency_seconds', [['quantile', '0.99']]),
        series('node_load1'),
        series('no_metadata_at_all'),
      ],
      metadata: [
        { type: 'COUNTER', metric_family_name: 'http_requests_total', help: 'Requests.', unit: '' },
        { type: 'HISTOGRAM', metric_family_name: 'http_request_duration_seconds', help: 'Latency.', unit: 'seconds' },
        { type: 'SUMMARY', metric_family_name: 'rpc_latency_seconds', help: '', unit: '' },
        { type: 'GAUGE', metric_family_name: 'node_load1', help: 'Load.', unit: '' },
      ],
    });
    const samples = viaContract(metricSamplesOf(request, 'acme'));
    assert.deepEqual(
      samples.map((s) => [s.name, s.type, s.temporality, s.isMonotonic, s.description, s.unit]),
      [
        ['http_requests_total', 'SUM', 'CUMULATIVE', true, 'Requests.', ''],
        ['http_request_duration_seconds_bucket', 'SUM', 'CUMULATIVE', true, 'Latency.', 'seconds'],
        ['http_request_duration_seconds_count', 'SUM', 'CUMULATIVE', true, 'Latency.', 'seconds'],
        ['http_request_duration_seconds_sum', 'SUM', 'CUMULATIVE', false, 'Latency.', 'seconds'],
        ['rpc_latency_seconds', 'GAUGE', 'UNSPECIFIED', false, '', ''],
        ['node_load1', 'GAUGE', 'UNSPECIFIED', false, 'Load.', ''],
        ['no_metadata_at_all', 'GAUGE', 'UNSPECIFIED', false, '', ''],
      ],
    );
    const [counter] = samples;
    assert.deepEqual(counter?.attributes, { code: '200', instance: 'a:9100', job: 'node' });
    assert.equal(counter?.tenant, 'acme');
    assert.equal(counter?.serviceName, 'node');
    assert.equal(counter?.source, 'remote-write');
    assert.equal(counter?.timeUnixNano, BigInt(at) * 1_000_000n);
    assert.equal(counter?.value, 3);
    assert.deepEqual(counter?.resource, {});
  });

  it('types 1.0 series from metadata the caller kept from an earlier request, the request\'s own winning', () => {
    const request = decodeV1({ timeseries: [{ labels: v1Labels([['__name__', 'jobs_total']]), samples: [{ value: 1, timestamp: NOW_MS }] }, { labels: v1Labels([['__name__', 'temp']]), samples: [{ value: 2, timestamp: NOW_MS }] }], metadata: [{ type: 'GAUGE', metric_family_name: 'temp', help: 'own', unit: '' }] });
    const known = new Map([['jobs', { type: 'counter' as const, help: 'Jobs.', unit: '' }], ['jobs_total', { type: 'counter' as const, help: 'Jobs done.', unit: '' }], ['temp', { type: 'counter' as const, help: 'stale', unit: '' }]]);
    const [jobs, temp] = metricSamplesOf(request, 't', (family) => known.get(family));
    assert.deepEqual([jobs?.type, jobs?.isMonotonic, jobs?.description], ['SUM', true, 'Jobs done.']);
    assert.deepEqual([temp?.type, temp?.description], ['GAUGE', 'own']);
  });

  it('carries the staleness marker as the no-recorded-value flag, and a plain NaN as a value', () => {
    const request = decodeV1({ timeseries: [{ labels: v1Labels([['__name__', 'up'], ['job', 'x']]), samples: [{ value: 1, timestamp: NOW_MS - 2 }, { value: STALE_NAN, timestamp: NOW_MS - 1 }, { value: Number.NaN, timestamp: NOW_MS }] }] });
    const [live, stale, nan] = viaContract(metricSamplesOf(request, 't'));
    assert.deepEqual([live?.flags, live?.value], [0, 1]);
    assert.equal(stale?.flags, 1);
    assert.ok(Number.isNaN(stale?.value));
    assert.equal(nan?.flags, 0);
    assert.ok(Number.isNaN(nan?.value));
  });

  it('turns 2.0 native histograms into exponential histograms (offset = first index − 1) and custom buckets into histograms', () => {
    const t = new SymbolTable();
    const request = decodeV2({
      symbols: t.symbols,
      timeseries: [
        {
          labels_refs: t.labelsRefs([['__name__', 'latency_seconds'], ['job', 'api']]),
          histograms: [
            // Buckets 1, 2 and (after a gap of one) 4, as deltas: counts 2, 1, 3; zero bucket 1; negative bucket -1: 1.
            { count_int: 8, sum: 12.5, schema: 2, zero_threshold: 0.001, zero_count_int: 1, positive_spans: [{ offset: 1, length: 2 }, { offset: 1, length: 1 }], positive_deltas: [2, -1, 2], negative_spans: [{ offset: -1, length: 1 }], negative_deltas: [1], timestamp: NOW_MS - 10 },
            // Custom bounds 0.5, 1, 5: bucket 1 (0.5, 1] holds 2.
            { count_float: 2, sum: 1.5, schema: -53, positive_spans: [{ offset: 1, length: 1 }], positive_counts: [2], custom_values: [0.5, 1, 5], timestamp: NOW_MS - 5, reset_hint: 'RESET_HINT_GAUGE' },
          ],
          exemplars: [{ labels_refs: t.labelsRefs([['trace_id', TRACE], ['user', 'u1']]), value: 0.7, timestamp: NOW_MS - 6 }],
          metadata: { type: 'METRIC_TYPE_HISTOGRAM', unit_ref: t.ref('seconds') },
        },
      ],
    });
    assert.deepEqual(request.problems, []);
    const [exponential, custom] = viaContract(metricSamplesOf(request, 't'));
    assert.equal(exponential?.type, 'EXPONENTIAL_HISTOGRAM');
    assert.equal(exponential?.temporality, 'CUMULATIVE');
    assert.equal(exponential?.unit, 'seconds');
    assert.deepEqual(exponential?.exponentialHistogram, {
      count: 8n,
      sum: 12.5,
      min: null,
      max: null,
      scale: 2,
      zeroCount: 1n,
      zeroThreshold: 0.001,
      positive: { offset: 0, bucketCounts: [2n, 1n, 0n, 3n] },
      negative: { offset: -2, bucketCounts: [1n] },
    });
    assert.deepEqual(exponential?.exemplars, []);
    assert.equal(custom?.type, 'HISTOGRAM');
    assert.equal(custom?.temporality, 'UNSPECIFIED');
    assert.deepEqual(custom?.histogram, { count: 2n, sum: 1.5, min: null, max: null, explicitBounds: [0.5, 1, 5], bucketCounts: [0n, 2n, 0n, 0n] });
    assert.deepEqual(custom?.exemplars, [{ timeUnixNano: BigInt(NOW_MS - 6) * 1_000_000n, value: 0.7, traceId: TRACE, spanId: '', filteredAttributes: { user: 'u1' } }]);
  });

  it('shares one frozen attributes object per series, across requests, with a scratch object nothing else sees', () => {
    const decoder = createRemoteWriteDecoder();
    const body = encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries: [{ labels: v1Labels([['__name__', 'up'], ['job', 'x']]), samples: [{ value: 1, timestamp: NOW_MS - 1 }, { value: 2, timestamp: NOW_MS }] }] });
    const request = () => decoder.decode({ contentType: 'application/x-protobuf', contentEncoding: 'snappy', body }, NOW_MS);
    const [a, b] = metricSamplesOf(request(), 't');
    const [c] = metricSamplesOf(request(), 't');
    assert.ok(a && b && c);
    assert.equal(a.attributes, b.attributes);
    assert.equal(a.attributes, c.attributes);
    assert.ok(Object.isFrozen(a.attributes));
    const scratch = seriesScratchOf(a.attributes);
    assert.ok(scratch !== undefined);
    scratch['mine'] = 1;
    assert.equal(seriesScratchOf(c.attributes)?.['mine'], 1);
    assert.deepStrictEqual(a.attributes, { job: 'x' });
    assert.deepStrictEqual(Object.keys(a.attributes), ['job']);
    assert.equal(JSON.stringify(a.attributes), '{"job":"x"}');
    assert.deepStrictEqual(structuredClone(a.attributes), { job: 'x' });
    assert.equal(seriesScratchOf({ ...a.attributes }), undefined);
    assert.equal(seriesScratchOf({ job: 'x' }), undefined);
  });
});
