// The protobuf path on messages the SDK never writes (summaries, exemplars, flags, edge values) and every
// rejection rule. Requests are encoded with protobufjs from the vendored official schema, whose bytes the
// hash spec pins; the SDK spec checks the same decoder against an independent writer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { decodeOtlpMetricsProtobuf, type OtlpMetricsDecodeContext } from './decode-otlp-metrics';
import { OtlpDecodeError, OtlpTooManyDataPointsError } from './otlp-decode.error';
import type { OtlpMetricPoint } from './otlp-metrics.model';
import { otlpProtoTypes } from './otlp-proto-root';

const ctx: OtlpMetricsDecodeContext = { tenant: 'acme' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const T0 = '1700000000000000000';
const T1 = '1700000010123456789';
const M = 'resourceMetrics[0].scopeMetrics[0].metrics';

function encode(request: object): Uint8Array {
  const type = otlpProtoTypes().exportMetricsServiceRequest;
  return type.encode(type.fromObject(request)).finish();
}

/** One resource with one scope holding `metrics` (protobufjs object form: camelCase, int64 as decimal strings). */
function withMetrics(metrics: object[]): Uint8Array {
  return encode({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] },
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        scopeMetrics: [
          {
            scope: { name: 'billing-meter', version: '1.0', attributes: [{ key: 'lib', value: { stringValue: 'otel' } }] },
            schemaUrl: 'https://example.com/s',
            metrics,
          },
        ],
      },
    ],
  });
}

function decode(metrics: object[]) {
  return decodeOtlpMetricsProtobuf(withMetrics(metrics), ctx);
}

/** The fields every point of withMetrics() shares. */
const CONTEXT = {
  tenant: 'acme',
  resource: { 'service.name': 'billing' },
  resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  serviceName: 'billing',
  scope: { name: 'billing-meter', version: '1.0', attributes: { lib: 'otel' }, schemaUrl: 'https://example.com/s' },
  metricDescription: '',
  metricUnit: '',
  attributes: {},
  startTimeUnixNano: 1_700_000_000_000_000_000n,
  timeUnixNano: 1_700_000_010_123_456_789n,
  flags: 0,
  noRecordedValue: false,
};

const times = { startTimeUnixNano: T0, timeUnixNano: T1 };
const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

describe('decodeOtlpMetricsProtobuf', () => {
  it('maps a summary point: count, sum, quantiles, exact uint64 count', () => {
    const { points, rejected } = decode([
      {
        name: 'rpc.latency',
        description: 'Latency quantiles',
        unit: 'ms',
        summary: {
          dataPoints: [
            {
              ...times,
              attributes: [{ key: 'method', value: { stringValue: 'Pay' } }],
              count: '18446744073709551615',
              sum: 1234.5,
              quantileValues: [
                { quantile: 0, value: 1 },
                { quantile: 0.5, value: 12.5 },
                { quantile: 1, value: 99 },
              ],
            },
          ],
        },
      },
    ]);
    assert.equal(rejected, 0);
    assert.deepEqual(points, [
      {
        ...CONTEXT,
        metricName: 'rpc.latency',
        metricDescription: 'Latency quantiles',
        metricUnit: 'ms',
        attributes: { method: 'Pay' },
        type: 'summary',
        count: 18_446_744_073_709_551_615n,
        sum: 1234.5,
        quantileValues: [
          { quantile: 0, value: 1 },
          { quantile: 0.5, value: 12.5 },
          { quantile: 1, value: 99 },
        ],
      },
    ]);
  });

  it('maps exemplars of every point type: filtered attributes, time, double or exact int value, hex ids', () => {
    const exemplar = (value: object, ids = true) => ({
      filteredAttributes: [{ key: 'user', value: { stringValue: 'u1' } }],
      timeUnixNano: '1700000005000000001',
      ...value,
      ...(ids ? { traceId: bytes(TRACE), spanId: bytes(SPAN) } : { traceId: new Uint8Array(16), spanId: new Uint8Array(0) }),
    });
    const { points, rejected, errors } = decode([
      { name: 'g', gauge: { dataPoints: [{ ...times, asDouble: 0.25, exemplars: [exemplar({ asDouble: 0.3 })] }] } },
      {
        name: 's',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [{ ...times, asInt: '9223372036854775807', exemplars: [exemplar({ asInt: '-9223372036854775808' }, false)] }],
        },
      },
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [{ ...times, count: '1', bucketCounts: ['0', '1'], explicitBounds: [5], exemplars: [exemplar({ asDouble: 7 })] }],
        },
      },
      {
        name: 'e',
        exponentialHistogram: {
          aggregationTemporality: 2,
          dataPoints: [{ ...times, count: '1', scale: 0, positive: { offset: 2, bucketCounts: ['1'] }, exemplars: [exemplar({ asInt: '6' })] }],
        },
      },
    ]);
    assert.deepEqual(errors, []);
    assert.equal(rejected, 0);
    const traced = { filteredAttributes: { user: 'u1' }, timeUnixNano: 1_700_000_005_000_000_001n, traceId: TRACE, spanId: SPAN };
    assert.deepEqual(
      points.map((p) => (p.type === 'summary' ? [] : p.exemplars)),
      [
        [{ ...traced, value: 0.3 }],
        // all-zero and absent ids are "no trace"
        [{ ...traced, traceId: '', spanId: '', value: -9_223_372_036_854_775_808n }],
        [{ ...traced, value: 7 }],
        [{ ...traced, value: 6n }],
      ],
    );
    assert.deepEqual(
      points.map((p) => (p.type === 'gauge' || p.type === 'sum' ? p.value : p.type)),
      [0.25, 9_223_372_036_854_775_807n, 'histogram', 'exponential_histogram'],
    );
  });

  it('maps sum temporality and monotonicity, and keeps a point flagged no-recorded-value without a value', () => {
    const { points, rejected } = decode([
      {
        name: 'bytes.sent',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [
            { ...times, asDouble: 0 },
            { ...times, flags: 1 },
          ],
        },
      },
      { name: 'queue', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ ...times, asInt: '-3' }] } },
    ]);
    assert.equal(rejected, 0);
    assert.deepEqual(points, [
      { ...CONTEXT, metricName: 'bytes.sent', type: 'sum', temporality: 'delta', isMonotonic: true, value: 0, exemplars: [] },
      { ...CONTEXT, metricName: 'bytes.sent', type: 'sum', temporality: 'delta', isMonotonic: true, value: null, flags: 1, noRecordedValue: true, exemplars: [] },
      { ...CONTEXT, metricName: 'queue', type: 'sum', temporality: 'cumulative', isMonotonic: false, value: -3n, exemplars: [] },
    ]);
  });

  it('tells a histogram sum, min and max of 0 from ones not sent, and accepts count and sum without buckets', () => {
    const { points, rejected } = decode([
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { ...times, count: '0', sum: 0, min: 0, max: 0, bucketCounts: ['0', '0'], explicitBounds: [1] },
            { ...times, count: '12', sum: 40.5 },
          ],
        },
      },
    ]);
    assert.equal(rejected, 0);
    const h = { ...CONTEXT, metricName: 'h', type: 'histogram', temporality: 'cumulative', exemplars: [] } as const;
    assert.deepEqual(points, [
      { ...h, count: 0n, sum: 0, min: 0, max: 0, bucketCounts: [0n, 0n], explicitBounds: [1] },
      { ...h, count: 12n, sum: 40.5, min: null, max: null, bucketCounts: [], explicitBounds: [] },
    ]);
  });

  it('maps an exponential histogram with negative buckets, zero count and zero threshold', () => {
    const { points, rejected } = decode([
      {
        name: 'delta.temp',
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              ...times,
              count: '9',
              sum: -2.5,
              scale: -3,
              zeroCount: '2',
              zeroThreshold: 1e-9,
              positive: { offset: -2, bucketCounts: ['1', '0', '3'] },
              negative: { offset: -1, bucketCounts: ['2', '1'] },
              min: -40,
              max: 300,
            },
          ],
        },
      },
    ]);
    assert.equal(rejected, 0);
    assert.deepEqual(points, [
      {
        ...CONTEXT,
        metricName: 'delta.temp',
        type: 'exponential_histogram',
        temporality: 'delta',
        count: 9n,
        sum: -2.5,
        scale: -3,
        zeroCount: 2n,
        zeroThreshold: 1e-9,
        positive: { offset: -2, bucketCounts: [1n, 0n, 3n] },
        negative: { offset: -1, bucketCounts: [2n, 1n] },
        min: -40,
        max: 300,
        exemplars: [],
      },
    ]);
  });

  it('shares one frozen resource map and scope per resource and scope', () => {
    const { points } = decode([{ name: 'g', gauge: { dataPoints: [{ ...times, asDouble: 1 }, { ...times, asDouble: 2 }] } }]);
    const [a, b] = points as [OtlpMetricPoint, OtlpMetricPoint];
    assert.equal(a.resource, b.resource);
    assert.equal(a.scope, b.scope);
    assert.ok(Object.isFrozen(a.resource) && Object.isFrozen(a.scope) && Object.isFrozen(a.scope.attributes));
    assert.notEqual(a.attributes, b.attributes);
  });

  it('rejects invalid points and metrics one by one, counting data points, and keeps the rest', () => {
    const gauge = (dataPoints: object[]) => ({ gauge: { dataPoints } });
    const histogram = (dataPoints: object[]) => ({ histogram: { aggregationTemporality: 2, dataPoints } });
    const ok = { ...times, asDouble: 1 };
    const { points, rejected, errors } = decode([
      { name: '', ...gauge([ok, ok]) },
      { name: 'no.data' },
      { name: 'unspecified', sum: { aggregationTemporality: 0, dataPoints: [ok] } },
      { name: 'unknown.temporality', exponentialHistogram: { aggregationTemporality: 5, dataPoints: [{ count: '0' }, { count: '0' }, { count: '0' }] } },
      { name: 'no.value', ...gauge([ok, { ...times }]) },
      {
        name: 'bad.histograms',
        ...histogram([
          { count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2] },
          { count: '0', explicitBounds: [1] },
          { count: '2', bucketCounts: ['1', '1', '0'], explicitBounds: [2, 2] },
          { count: '2', bucketCounts: ['1', '0'], explicitBounds: [NaN] },
          { count: '5', bucketCounts: ['1', '2', '3'], explicitBounds: [1, 2] },
          { count: '6', bucketCounts: ['1', '2', '3'], explicitBounds: [1, 2] },
        ]),
      },
      {
        name: 'bad.exponential',
        exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ count: '4', zeroCount: '1', positive: { bucketCounts: ['1'] }, negative: { bucketCounts: ['1'] } }] },
      },
      {
        name: 'bad.summaries',
        summary: {
          dataPoints: [
            { quantileValues: [{ quantile: 1.5, value: 1 }] },
            { quantileValues: [{ quantile: 0.5, value: -1 }] },
            { quantileValues: [{ quantile: 0.9, value: 1 }, { quantile: 0.5, value: 2 }] },
            { quantileValues: [{ quantile: 0.5, value: NaN }] },
          ],
        },
      },
      {
        name: 'bad.exemplars',
        ...gauge([
          { ...ok, exemplars: [{ timeUnixNano: T0 }] },
          { ...ok, exemplars: [{ asDouble: 1 }, { asDouble: 1, traceId: bytes(TRACE.slice(2)) }] },
          { ...ok, exemplars: [{ asDouble: 1, spanId: bytes('00112233') }] },
        ]),
      },
    ]);
    const names = points.map((p) => p.metricName);
    assert.deepEqual(names, ['no.value', 'bad.histograms', 'bad.summaries']);
    assert.equal(rejected, 2 + 1 + 1 + 3 + 1 + 5 + 1 + 3 + 3);
    assert.deepEqual(errors, [
      `${M}[0]: metric name is empty`,
      `${M}[1]: metric has no data of a known type (gauge, sum, histogram, exponentialHistogram or summary)`,
      `${M}[2]: sum.aggregationTemporality 0 is not DELTA (1) or CUMULATIVE (2)`,
      `${M}[3]: exponentialHistogram.aggregationTemporality 5 is not DELTA (1) or CUMULATIVE (2)`,
      `${M}[4].gauge.dataPoints[1]: has no value: neither asDouble nor asInt is set (and the point is not flagged no-recorded-value)`,
      `${M}[5].histogram.dataPoints[0]: bucketCounts has 2 entries, expected 3 (explicitBounds has 2)`,
      `${M}[5].histogram.dataPoints[1]: explicitBounds has 1 entries but bucketCounts is empty`,
      `${M}[5].histogram.dataPoints[2]: explicitBounds are not strictly increasing (at index 1)`,
      `${M}[5].histogram.dataPoints[3]: explicitBounds are not strictly increasing (at index 0)`,
      `${M}[5].histogram.dataPoints[4]: bucketCounts add up to 6, but count is 5`,
      `${M}[6].exponentialHistogram.dataPoints[0]: zeroCount and the positive and negative bucketCounts add up to 3, but count is 4`,
      `${M}[7].summary.dataPoints[0]: quantileValues[0].quantile 1.5 is outside [0, 1]`,
      `${M}[7].summary.dataPoints[1]: quantileValues[0].value -1 is negative`,
      `${M}[7].summary.dataPoints[2]: quantileValues are not in strictly increasing quantile order (at index 1)`,
      `${M}[8].gauge.dataPoints[0]: exemplars[0] has no value: neither asDouble nor asInt is set`,
      `${M}[8].gauge.dataPoints[1]: exemplars[1].traceId has 15 bytes, expected 16 (32 hex digits)`,
      `${M}[8].gauge.dataPoints[2]: exemplars[0].spanId has 4 bytes, expected 8 (16 hex digits)`,
    ]);
    // NaN quantile values are accepted (a summary with no observations); the valid histogram point is kept.
    const summary = points.find((p) => p.type === 'summary');
    assert.ok(summary?.type === 'summary' && Number.isNaN(summary.quantileValues[0]?.value));
    const kept = points.find((p) => p.type === 'histogram');
    assert.ok(kept?.type === 'histogram');
    assert.deepEqual(kept.bucketCounts, [1n, 2n, 3n]);
  });

  it('treats a metric whose data member is unknown to the schema as one with no data', () => {
    // Metric { name = "future" (1), field 42 = some message } inside ScopeMetrics (2) / ResourceMetrics (2) / request (1).
    const metric = protobuf.Writer.create().uint32((1 << 3) | 2).string('future').uint32((42 << 3) | 2).bytes(new Uint8Array([8, 1])).finish();
    const scope = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(metric).finish();
    const resource = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(scope).finish();
    const request = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(resource).finish();
    const result = decodeOtlpMetricsProtobuf(request, ctx);
    assert.deepEqual(result, {
      points: [],
      rejected: 1,
      errors: [`${M}[0]: metric has no data of a known type (gauge, sum, histogram, exponentialHistogram or summary)`],
    });
  });

  it('decodes an empty body as an empty request', () => {
    assert.deepEqual(decodeOtlpMetricsProtobuf(new Uint8Array(0), ctx), { points: [], rejected: 0, errors: [] });
  });

  it('throws OtlpDecodeError for bytes that are not an ExportMetricsServiceRequest', () => {
    assert.throws(
      () => decodeOtlpMetricsProtobuf(new Uint8Array([0x0a, 0x05, 0x01]), ctx),
      (err: unknown) => err instanceof OtlpDecodeError && err.message.startsWith('invalid OTLP protobuf ExportMetricsServiceRequest: '),
    );
  });

  it('throws OtlpTooManyDataPointsError above maxDataPoints, counting every type across resources and scopes', () => {
    const scopeMetrics = [
      { metrics: [{ name: 'a', gauge: { dataPoints: [{ asDouble: 1 }, { asDouble: 2 }] } }] },
      { metrics: [{ name: 'b', summary: { dataPoints: [{}] } }, { name: 'c', histogram: { aggregationTemporality: 1, dataPoints: [{}] } }] },
    ];
    const buf = encode({ resourceMetrics: [{ scopeMetrics }, { scopeMetrics: [{ metrics: [{ name: 'd', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{}] } }] }] }] });
    assert.equal(decodeOtlpMetricsProtobuf(buf, { ...ctx, maxDataPoints: 5 }).points.length, 5);
    assert.throws(
      () => decodeOtlpMetricsProtobuf(buf, { ...ctx, maxDataPoints: 4 }),
      (err: unknown) =>
        err instanceof OtlpTooManyDataPointsError &&
        err.count === 5 &&
        err.limit === 4 &&
        err.message === 'request holds 5 metric data points, more than the limit of 4',
    );
  });
});
