import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { metricSeriesKey, seriesKey, type MetricRollup, type MetricSample } from '@sextant/contracts';
import { METRIC_ROLLUP_INSERT_COLUMNS } from './metric-rollups.table';
import { jsonFloat, metricRollupRow, metricSampleRows, metricSeriesLabels } from './metric-rows';
import { METRIC_SAMPLE_INSERT_COLUMNS, METRIC_SERIES_INSERT_COLUMNS, NATIVE_HISTOGRAM_INSERT_COLUMNS } from './metric-samples.table';
import { OTEL_METRIC_INSERT_COLUMNS } from './otel-metrics.table';
import { sample, T } from './testdata/metric-sample-fixture';

const coords = { topic: 'ingest.metrics', partition: 3, offset: '42', index: 1 };
const otlp = { otelSources: ['otlp', 'kafka-otlp'] };


/** The samples as (name, labels, value) triples, read back through the column names. */
function classic(rows: ReturnType<typeof metricSampleRows>): Array<[string, string, unknown]> {
  const col = (name: string): number => METRIC_SAMPLE_INSERT_COLUMNS.indexOf(name as never);
  return rows.samples.map((r) => [r[col('MetricName')] as string, String(r[col('SeriesKey')]).replace(/^[^{]*/, ''), r[col('Value')]]);
}

describe('metricSampleRows', () => {
  it('gives a gauge or sum one sample whose series key is metricSeriesKey(sample)', () => {
    const s = sample();
    const rows = metricSampleRows(s, coords, otlp);
    assert.equal(rows.samples.length, 1);
    assert.equal(rows.samples[0]?.[METRIC_SAMPLE_INSERT_COLUMNS.indexOf('SeriesKey')], metricSeriesKey(s));
    assert.equal(rows.series[0]?.seriesKey, metricSeriesKey(s));
    assert.equal(rows.series[0]?.values[METRIC_SERIES_INSERT_COLUMNS.indexOf('Type')], 'counter');
    assert.deepEqual(metricSeriesLabels(s), { job: 'checkout', method: 'GET' });
    assert.equal(rows.otel, null, 'remote write is not an OTLP source');
  });

  it('turns a histogram into cumulative le buckets ending at +Inf, then _sum and _count', () => {
    const histogram = { count: 10n, sum: 4.5, min: null, max: null, explicitBounds: [0.1, 1], bucketCounts: [2n, 5n, 3n] };
    const rows = metricSampleRows(sample({ name: 'lat', type: 'HISTOGRAM', histogram }), coords, otlp);
    assert.deepEqual(classic(rows), [
      ['lat_bucket', '{job="checkout",le="0.1",method="GET"}', 2],
      ['lat_bucket', '{job="checkout",le="1",method="GET"}', 7],
      ['lat_bucket', '{job="checkout",le="+Inf",method="GET"}', 10],
      ['lat_sum', '{job="checkout",method="GET"}', 4.5],
      ['lat_count', '{job="checkout",method="GET"}', 10],
    ]);
    assert.equal(rows.series.length, 5);
    assert.ok(rows.series.every((r) => r.values[METRIC_SERIES_INSERT_COLUMNS.indexOf('Type')] === 'histogram'));
  });

  it('turns a summary into quantile series plus _sum and _count', () => {
    const summary = { count: 3n, sum: 9, quantiles: [{ quantile: 0.5, value: 2 }, { quantile: 0.99, value: 5 }] };
    const rows = metricSampleRows(sample({ name: 'rt', type: 'SUMMARY', summary, attributes: {}, resource: {} }), coords, otlp);
    assert.deepEqual(classic(rows), [['rt', '{quantile="0.5"}', 2], ['rt', '{quantile="0.99"}', 5], ['rt_sum', '{}', 9], ['rt_count', '{}', 3]]);
  });

  it('keeps NaN and ±Inf values and the stale flag', () => {
    for (const [value, sent] of [[NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf']] as const) {
      const rows = metricSampleRows(sample({ type: 'GAUGE', value, flags: 1 }), coords, otlp);
      assert.equal(rows.samples[0]?.[METRIC_SAMPLE_INSERT_COLUMNS.indexOf('Value')], sent);
      assert.equal(rows.samples[0]?.[METRIC_SAMPLE_INSERT_COLUMNS.indexOf('Flags')], 1);
    }
    assert.equal(jsonFloat(0.25), 0.25);
    assert.equal(jsonFloat(-0), '-0');
    assert.equal(jsonFloat(0), 0);
  });

  it('also builds the exporter row for an OTLP source, with the Kafka coordinates', () => {
    const exemplars = [{ timeUnixNano: T, value: 1.5, traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), filteredAttributes: { user: 'u' } }];
    const rows = metricSampleRows(sample({ source: 'otlp', exemplars }), coords, otlp);
    assert.equal(rows.otel?.kind, 'sum');
    const columns = OTEL_METRIC_INSERT_COLUMNS.sum;
    const values = rows.otel?.values ?? [];
    assert.equal(values.length, columns.length);
    const at = (c: string): unknown => values[columns.indexOf(c)];
    assert.deepEqual([at('MetricName'), at('AggregationTemporality'), at('IsMonotonic'), at('_KafkaOffset'), at('_KafkaIndex')], ['http_requests_total', 2, true, '42', 1]);
    assert.deepEqual(at('`Exemplars.TraceId`'), ['ab'.repeat(16)]);
    assert.equal(at('TimeUnix'), '1780000000.123456789');
  });

  it('gives every OTLP type an exporter row as wide as its table', () => {
    const e = { count: 4n, sum: 2, min: 0.5, max: 1, scale: 2, zeroCount: 1n, zeroThreshold: 0, positive: { offset: -1, bucketCounts: [1n, 2n] }, negative: { offset: 0, bucketCounts: [] } };
    const cases: Array<[Partial<MetricSample>, keyof typeof OTEL_METRIC_INSERT_COLUMNS]> = [
      [{ type: 'GAUGE' }, 'gauge'],
      [{ type: 'HISTOGRAM', histogram: { count: 1n, sum: 1, min: 1, max: 1, explicitBounds: [], bucketCounts: [1n] } }, 'histogram'],
      [{ type: 'EXPONENTIAL_HISTOGRAM', exponentialHistogram: e }, 'expHistogram'],
      [{ type: 'SUMMARY', summary: { count: 1n, sum: 1, quantiles: [] } }, 'summary'],
    ];
    for (const [changes, kind] of cases) {
      const rows = metricSampleRows(sample({ ...changes, source: 'kafka-otlp' }), coords, otlp);
      assert.equal(rows.otel?.kind, kind);
      assert.equal(rows.otel?.values.length, OTEL_METRIC_INSERT_COLUMNS[kind].length, kind);
    }
    const native = metricSampleRows(sample({ type: 'EXPONENTIAL_HISTOGRAM', exponentialHistogram: e }), coords, otlp);
    assert.equal(native.nativeHistogram?.length, NATIVE_HISTOGRAM_INSERT_COLUMNS.length);
    assert.deepEqual(classic(native).map((c) => c[0]), ['http_requests_total_sum', 'http_requests_total_count']);
  });
});

describe('metricRollupRow', () => {
  const rollup: MetricRollup = {
    tenant: 'acme', seriesKey: seriesKey('acme', 'up', { job: 'a' }), name: 'up', labels: { job: 'a' }, serviceName: 'a', unit: '', windowStartUnixNano: 60n * 1_000_000_000n,
    windowEndUnixNano: 70n * 1_000_000_000n, kind: 'GAUGE', count: 2n, sum: 2, min: null, max: 1, last: 1, increase: null, rate: null, resets: 0, histogram: null,
    exponentialHistogram: null, quantiles: [{ quantile: 0.5, value: 1 }], overflow: false, sourceTopic: 'ingest.metrics', revision: 1, shard: -1,
  };

  it('fills every rollup column and picks the resolution from the window length', () => {
    const row = metricRollupRow(rollup, coords);
    assert.equal(row.resolutionSeconds, 10);
    assert.equal(row.values.length, METRIC_ROLLUP_INSERT_COLUMNS.length);
    const at = (c: string): unknown => row.values[METRIC_ROLLUP_INSERT_COLUMNS.indexOf(c as never)];
    assert.deepEqual([at('Min'), at('Max'), at('Revision'), at('Shard'), at('`Quantiles.Value`')], [null, 1, 1, -1, [1]]);
  });

  it('has no resolution for a window that is not whole seconds', () => {
    assert.equal(metricRollupRow({ ...rollup, windowEndUnixNano: rollup.windowStartUnixNano + 1_500_000_000n }, coords).resolutionSeconds, null);
  });
});
