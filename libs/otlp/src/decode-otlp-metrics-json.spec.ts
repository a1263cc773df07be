import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOtlpMetricsJson, decodeOtlpMetricsProtobuf, type OtlpMetricsDecodeContext } from './decode-otlp-metrics';
import { OtlpDecodeError, OtlpTooManyDataPointsError } from './otlp-decode.error';
import { otlpProtoTypes } from './otlp-proto-root';

const ctx: OtlpMetricsDecodeContext = { tenant: 't1' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const M = 'resourceMetrics[0].scopeMetrics[0].metrics';

function request(metrics: unknown[]): string {
  return JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ scope: { name: 'sc' }, metrics }] }] });
}

function assertDecodeError(body: string, message: string): void {
  assert.throws(
    () => decodeOtlpMetricsJson(body, ctx),
    (err: unknown) => err instanceof OtlpDecodeError && err.message === message,
  );
}

const CONTEXT = {
  tenant: 't1',
  resource: {},
  resourceSchemaUrl: '',
  serviceName: '',
  scope: { name: 'sc', version: '', attributes: {}, schemaUrl: '' },
  metricDescription: '',
  metricUnit: '',
  attributes: {},
  startTimeUnixNano: 0n,
  timeUnixNano: 0n,
  flags: 0,
  noRecordedValue: false,
};

describe('decodeOtlpMetricsJson', () => {
  it('reads every type from spec-style OTLP/JSON: string int64s, enum numbers, hex exemplar ids', () => {
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          scopeMetrics: [
            {
              scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'x' } }] },
              metrics: [
                {
                  name: 'my.counter',
                  unit: '1',
                  description: 'I am a Counter',
                  sum: {
                    aggregationTemporality: 1,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        asDouble: 5,
                        startTimeUnixNano: '1544712660300000000',
                        timeUnixNano: '1544712660300000000',
                        attributes: [{ key: 'my.counter.attr', value: { stringValue: 'some value' } }],
                        exemplars: [{ timeUnixNano: '1544712660300000001', asInt: '-2', traceId: TRACE.toUpperCase(), spanId: SPAN, filteredAttributes: [{ key: 'k', value: { boolValue: true } }] }],
                      },
                    ],
                  },
                },
                { name: 'my.gauge', gauge: { dataPoints: [{ asInt: '9007199254740993', timeUnixNano: '1544712660300000000', flags: 0 }] } },
                {
                  name: 'my.histogram',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [{ count: '2', sum: 2, bucketCounts: ['1', '1'], explicitBounds: [1], min: 0, max: 2 }],
                  },
                },
                {
                  name: 'my.exponential.histogram',
                  exponentialHistogram: {
                    aggregationTemporality: 1,
                    dataPoints: [{ count: '3', sum: 10, scale: 0, zeroCount: '1', positive: { offset: 1, bucketCounts: ['0', '2'] }, min: 0, max: 5, zeroThreshold: 0 }],
                  },
                },
                { name: 'my.summary', summary: { dataPoints: [{ count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }, { quantile: 1, value: 2 }] }] } },
              ],
            },
          ],
        },
      ],
    });
    const { points, rejected, errors } = decodeOtlpMetricsJson(body, ctx);
    assert.deepEqual(errors, []);
    assert.equal(rejected, 0);
    const context = {
      ...CONTEXT,
      resource: { 'service.name': 'api' },
      resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      serviceName: 'api',
      scope: { name: 'my.library', version: '1.0.0', attributes: { 'my.scope.attribute': 'x' }, schemaUrl: '' },
    };
    assert.deepEqual(points, [
      {
        ...context,
        metricName: 'my.counter',
        metricUnit: '1',
        metricDescription: 'I am a Counter',
        type: 'sum',
        temporality: 'delta',
        isMonotonic: true,
        attributes: { 'my.counter.attr': 'some value' },
        startTimeUnixNano: 1_544_712_660_300_000_000n,
        timeUnixNano: 1_544_712_660_300_000_000n,
        value: 5,
        exemplars: [{ filteredAttributes: { k: 'true' }, timeUnixNano: 1_544_712_660_300_000_001n, value: -2n, traceId: TRACE, spanId: SPAN }],
      },
      { ...context, metricName: 'my.gauge', type: 'gauge', timeUnixNano: 1_544_712_660_300_000_000n, value: 9_007_199_254_740_993n, exemplars: [] },
      {
        ...context,
        metricName: 'my.histogram',
        type: 'histogram',
        temporality: 'cumulative',
        count: 2n,
        sum: 2,
        bucketCounts: [1n, 1n],
        explicitBounds: [1],
        min: 0,
        max: 2,
        exemplars: [],
      },
      {
        ...context,
        metricName: 'my.exponential.histogram',
        type: 'exponential_histogram',
        temporality: 'delta',
        count: 3n,
        sum: 10,
        scale: 0,
        zeroCount: 1n,
        zeroThreshold: 0,
        positive: { offset: 1, bucketCounts: [0n, 2n] },
        negative: { offset: 0, bucketCounts: [] },
        min: 0,
        max: 5,
        exemplars: [],
      },
      { ...context, metricName: 'my.summary', type: 'summary', count: 2n, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }, { quantile: 1, value: 2 }] },
    ]);
  });

  it('accepts snake_case keys, enum names, bare 64-bit numbers (exactly) and non-finite doubles as strings', () => {
    const text = `{"resource_metrics":[{"scope_metrics":[{"scope":{"name":"sc"},"metrics":[
      {"name":"s","sum":{"aggregation_temporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","is_monotonic":true,
        "data_points":[{"as_int":-9223372036854775808,"start_time_unix_nano":1700000000123456789,"time_unix_nano":"1700000001123456789"}]}},
      {"name":"e","exponential_histogram":{"aggregation_temporality":"AGGREGATION_TEMPORALITY_DELTA",
        "data_points":[{"count":18446744073709551615,"zero_count":18446744073709551614,"zero_threshold":"1e-9","sum":"-Infinity",
          "negative":{"offset":-4,"bucket_counts":[1]},"exemplars":[{"as_double":"NaN","trace_id":"","span_id":""}]}]}},
      {"name":"q","summary":{"data_points":[{"quantile_values":[{"quantile":0.99,"value":"NaN"}]}]}}]}]}]}`;
    const { points, rejected, errors } = decodeOtlpMetricsJson(text, ctx);
    assert.deepEqual(errors, []);
    assert.equal(rejected, 0);
    const [s, e, q] = points;
    assert.ok(s?.type === 'sum' && e?.type === 'exponential_histogram' && q?.type === 'summary');
    assert.equal(s.temporality, 'cumulative');
    assert.equal(s.value, -9_223_372_036_854_775_808n);
    assert.equal(s.startTimeUnixNano, 1_700_000_000_123_456_789n);
    assert.equal(e.temporality, 'delta');
    assert.equal(e.count, 18_446_744_073_709_551_615n);
    assert.equal(e.zeroCount, 18_446_744_073_709_551_614n);
    assert.equal(e.zeroThreshold, 1e-9);
    assert.equal(e.sum, -Infinity);
    assert.deepEqual(e.negative, { offset: -4, bucketCounts: [1n] });
    assert.ok(Number.isNaN(e.exemplars[0]?.value));
    assert.deepEqual([e.exemplars[0]?.traceId, e.exemplars[0]?.spanId], ['', '']);
    assert.ok(Number.isNaN(q.quantileValues[0]?.value));
  });

  it('decodes to the same points as the protobuf encoding of the same request', () => {
    const metrics = [
      { name: 'g', unit: 'By', gauge: { dataPoints: [{ asDouble: 1.5, timeUnixNano: '5', attributes: [{ key: 'a', value: { intValue: '7' } }] }] } },
      { name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ count: '3', bucketCounts: ['1', '2'], explicitBounds: [10], flags: 1 }] } },
    ];
    const type = otlpProtoTypes().exportMetricsServiceRequest;
    const object = { resourceMetrics: [{ scopeMetrics: [{ scope: { name: 'sc' }, metrics }] }] };
    const fromProtobuf = decodeOtlpMetricsProtobuf(type.encode(type.fromObject(object)).finish(), ctx);
    assert.equal(fromProtobuf.points.length, 2);
    assert.deepEqual(decodeOtlpMetricsJson(JSON.stringify(object), ctx), fromProtobuf);
  });

  it('rejects the points the reader cannot take: negative counts, non-hex exemplar ids; an unknown temporality name rejects its metric', () => {
    const h = (point: object) => ({ name: 'h', histogram: { aggregationTemporality: 2, dataPoints: [point] } });
    const e = (point: object) => ({ name: 'e', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [point] } });
    const { points, rejected, errors } = decodeOtlpMetricsJson(
      request([
        h({ count: '-1' }),
        h({ count: '1', bucketCounts: [2, -1], explicitBounds: [1] }),
        e({ count: 1, zeroCount: -1 }),
        e({ count: 1, negative: { bucketCounts: ['-5'] } }),
        { name: 'g', gauge: { dataPoints: [{ asDouble: 1, exemplars: [{ asDouble: 1, traceId: Buffer.from(TRACE, 'hex').toString('base64') }] }] } },
        { name: 's', sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_SOMETIMES', dataPoints: [{ asInt: 1 }, { asInt: 2 }] } },
        { name: 'ok', summary: { dataPoints: [{ count: 0 }] } },
      ]),
      ctx,
    );
    assert.deepEqual(points.map((p) => p.metricName), ['ok']);
    assert.equal(rejected, 7);
    assert.deepEqual(errors, [
      `${M}[0].histogram.dataPoints[0].count is negative (-1); counts are unsigned`,
      `${M}[1].histogram.dataPoints[0].bucketCounts[1] is negative (-1); counts are unsigned`,
      `${M}[2].exponentialHistogram.dataPoints[0].zeroCount is negative (-1); counts are unsigned`,
      `${M}[3].exponentialHistogram.dataPoints[0].negative.bucketCounts[0] is negative (-5); counts are unsigned`,
      `${M}[4].gauge.dataPoints[0].exemplars[0].traceId: "CvdlGRbNQ92ESOshHIAxnA==" is not hex (OTLP/JSON spells ids in hex, not base64)`,
      `${M}[5].sum.aggregationTemporality: unknown aggregation temporality "AGGREGATION_TEMPORALITY_SOMETIMES"`,
    ]);
  });

  it('applies the semantic checks of the protobuf path to JSON as well', () => {
    const { rejected, errors } = decodeOtlpMetricsJson(
      request([{ name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ count: 1, bucketCounts: [1], explicitBounds: [1] }] } }]),
      ctx,
    );
    assert.equal(rejected, 1);
    assert.deepEqual(errors, [`${M}[0].histogram.dataPoints[0]: bucketCounts has 1 entries, expected 2 (explicitBounds has 1)`]);
  });

  it('throws OtlpDecodeError naming the path for malformed requests', () => {
    assertDecodeError('{"resourceMetrics":[', 'invalid JSON: Unexpected end of JSON input');
    assertDecodeError(request([{ name: 'x', gauge: { dataPoints: [] }, sum: { dataPoints: [] } }]), `${M}[0]: metric sets more than one of gauge, sum`);
    assertDecodeError(request([{ name: 'x', gauge: { dataPoints: [{ asDouble: 1, asInt: '1' }] } }]), `${M}[0].gauge.dataPoints[0]: data point sets more than one of asDouble, asInt`);
    assertDecodeError(request([{ name: 'x', gauge: { dataPoints: [{ exemplars: [{ as_double: 1, asInt: 2 }] }] } }]), `${M}[0].gauge.dataPoints[0].exemplars[0]: exemplar sets more than one of asDouble, asInt`);
    assertDecodeError(request([{ name: 'x', gauge: { dataPoints: {} } }]), `${M}[0].gauge.dataPoints: expected an array, got an object`);
    assertDecodeError(request([{ name: 'x', summary: { dataPoints: [{ count: 1.5 }] } }]), `${M}[0].summary.dataPoints[0].count: expected an unsigned 64-bit integer (decimal string or number), got number 1.5`);
    assertDecodeError(request([{ name: 'x', exponentialHistogram: { dataPoints: [{ scale: 2147483648 }] } }]), `${M}[0].exponentialHistogram.dataPoints[0].scale: expected a 32-bit integer, got number 2147483648`);
    assertDecodeError(request([{ name: 'x', sum: { isMonotonic: 'true', dataPoints: [] } }]), `${M}[0].sum.isMonotonic: expected true or false, got the string "true"`);
    assertDecodeError(request([{ name: 7 }]), `${M}[0].name: expected a string, got number 7`);
    assertDecodeError(request([{ name: 'x', histogram: { dataPoints: [{ explicitBounds: ['one'] }] } }]), `${M}[0].histogram.dataPoints[0].explicitBounds[0]: expected a number (or "NaN", "Infinity", "-Infinity"), got the string "one"`);
  });

  it('throws OtlpTooManyDataPointsError above maxDataPoints before reading any point', () => {
    // The second point is malformed: the limit is checked first.
    const body = request([{ name: 'a', gauge: { dataPoints: [{ asDouble: 1 }, { asDouble: 'x' }] } }, { name: 'b', summary: { dataPoints: [{}] } }]);
    assert.throws(
      () => decodeOtlpMetricsJson(body, { ...ctx, maxDataPoints: 2 }),
      (err: unknown) => err instanceof OtlpTooManyDataPointsError && err.count === 3 && err.limit === 2,
    );
    assert.throws(() => decodeOtlpMetricsJson(body, { ...ctx, maxDataPoints: 3 }), OtlpDecodeError);
  });

  it('decodes an empty object, and UTF-8 bytes like text', () => {
    assert.deepEqual(decodeOtlpMetricsJson('{}', ctx), { points: [], rejected: 0, errors: [] });
    const text = request([{ name: 'g', gauge: { dataPoints: [{ asDouble: 1 }] } }]);
    assert.deepEqual(decodeOtlpMetricsJson(new TextEncoder().encode(text), ctx), decodeOtlpMetricsJson(text, ctx));
  });
});
