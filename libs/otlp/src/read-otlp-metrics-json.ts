/**
 * Reads an OTLP/JSON ExportMetricsServiceRequest into the encoding-neutral request model, with the OTLP/JSON
 * rules of read-otlp-json-values (lowerCamelCase or snake_case keys, exact 64-bit integers, enums by number or
 * name, hex ids, null meaning "not set"). A value of the wrong JSON type anywhere, or a oneof with two members
 * set (two data types in one metric, asDouble and asInt in one point), is a malformed request
 * (OtlpDecodeError naming the path). What invalidates only one item is carried as a rejection: a negative
 * count or a non-hex exemplar id rejects its point, an unknown temporality name its metric.
 */
import { OtlpTooManyDataPointsError } from './otlp-decode.error';
import type {
  OtlpExponentialBuckets,
  OtlpExponentialHistogramPointValues,
  OtlpHistogramPointValues,
  OtlpMetricType,
  OtlpNumberPointValues,
  OtlpSummaryPointValues,
} from './otlp-metrics.model';
import type {
  OtlpExemplarData,
  OtlpMetricData,
  OtlpMetricLocation,
  OtlpMetricsRequestData,
  OtlpPointEntry,
} from './otlp-metrics-request.model';
import { otlpProtoTypes } from './otlp-proto-root';
import {
  asArray,
  asBool,
  asCount,
  asDouble,
  asInt32,
  asInt64,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  oneofMember,
  readEnum,
  readHexId,
  readKeyValues,
  readOtlpJsonRoot,
  type JsonObject,
} from './read-otlp-json-values';

/** Metric.data members: OTLP/JSON key, proto name, and the data type each stands for. */
const DATA_MEMBERS = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
] as const;
const TYPE_OF_MEMBER: Readonly<Record<(typeof DATA_MEMBERS)[number][0], OtlpMetricType>> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponentialHistogram: 'exponential_histogram',
  summary: 'summary',
};
const VALUE_MEMBERS = [
  ['asDouble', 'as_double'],
  ['asInt', 'as_int'],
] as const;

let temporalityByName: ReadonlyMap<string, number> | undefined;

/** AggregationTemporality names → numbers, from the schema itself. */
function temporalityNames(): ReadonlyMap<string, number> {
  temporalityByName ??= new Map(
    Object.entries(otlpProtoTypes().root.lookupEnum('opentelemetry.proto.metrics.v1.AggregationTemporality').values),
  );
  return temporalityByName;
}

/** A point that is well-formed JSON but cannot be accepted; caught per point. */
class PointRejection {
  constructor(readonly reason: string) {}
}

/** A metric with its data member found, before its points are read. */
interface ShapedMetric {
  readonly path: string;
  readonly obj: JsonObject;
  readonly type: OtlpMetricType | undefined;
  readonly dataPath: string;
  readonly data: JsonObject;
  readonly points: readonly unknown[];
}

/** Decodes OTLP/JSON given as text, as UTF-8 bytes, or as an already parsed value (whose big numbers may then
 * be inexact). */
export function readOtlpMetricsJson(input: string | object, maxDataPoints?: number): OtlpMetricsRequestData {
  const request = readOtlpJsonRoot(input);
  const resourceMetrics = asArray(field(request, 'resourceMetrics', 'resource_metrics'), 'resourceMetrics') ?? [];
  const shaped = resourceMetrics.map((rm, r) => {
    const path = `resourceMetrics[${r}]`;
    const obj = asObject(rm, path) ?? {};
    const scopeMetrics = (asArray(field(obj, 'scopeMetrics', 'scope_metrics'), `${path}.scopeMetrics`) ?? []).map(
      (sm, s) => {
        const smPath = `${path}.scopeMetrics[${s}]`;
        const smObj = asObject(sm, smPath) ?? {};
        const metrics = (asArray(smObj['metrics'], `${smPath}.metrics`) ?? []).map((m, i) =>
          shapeMetric(m, `${smPath}.metrics[${i}]`),
        );
        return { smPath, smObj, metrics };
      },
    );
    return { path, obj, scopeMetrics };
  });
  if (maxDataPoints !== undefined) {
    let count = 0;
    for (const rm of shaped) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) count += m.points.length;
    if (count > maxDataPoints) throw new OtlpTooManyDataPointsError(count, maxDataPoints);
  }
  return {
    resourceMetrics: shaped.map((rm, resourceIndex) => {
      const resource = asObject(rm.obj['resource'], `${rm.path}.resource`);
      return {
        resource: readKeyValues(resource && resource['attributes'], `${rm.path}.resource.attributes`, 0),
        schemaUrl: asString(field(rm.obj, 'schemaUrl', 'schema_url'), `${rm.path}.schemaUrl`),
        scopeMetrics: rm.scopeMetrics.map((sm, scopeIndex) => {
          const scope = asObject(sm.smObj['scope'], `${sm.smPath}.scope`) ?? {};
          return {
            scopeName: asString(scope['name'], `${sm.smPath}.scope.name`),
            scopeVersion: asString(scope['version'], `${sm.smPath}.scope.version`),
            scopeAttributes: readKeyValues(scope['attributes'], `${sm.smPath}.scope.attributes`, 0),
            schemaUrl: asString(field(sm.smObj, 'schemaUrl', 'schema_url'), `${sm.smPath}.schemaUrl`),
            metrics: sm.metrics.map((m, metricIndex) => readMetric(m, { resourceIndex, scopeIndex, metricIndex })),
          };
        }),
      };
    }),
  };
}

function shapeMetric(value: unknown, path: string): ShapedMetric {
  const obj = asObject(value, path) ?? {};
  const member = oneofMember(obj, DATA_MEMBERS, path, 'metric');
  if (member === undefined) return { path, obj, type: undefined, dataPath: path, data: {}, points: [] };
  const dataPath = `${path}.${member}`;
  const snake = DATA_MEMBERS.find(([camel]) => camel === member)?.[1] ?? member;
  const data = asObject(field(obj, member, snake), dataPath) ?? {};
  const points = asArray(field(data, 'dataPoints', 'data_points'), `${dataPath}.dataPoints`) ?? [];
  return { path, obj, type: TYPE_OF_MEMBER[member], dataPath, data, points };
}

function readMetric(m: ShapedMetric, location: OtlpMetricLocation): OtlpMetricData {
  const metric = {
    location,
    name: asString(m.obj['name'], `${m.path}.name`),
    description: asString(m.obj['description'], `${m.path}.description`),
    unit: asString(m.obj['unit'], `${m.path}.unit`),
  };
  switch (m.type) {
    case undefined:
      return { ...metric, body: { type: 'none' } };
    case 'gauge':
      return { ...metric, body: { type: 'gauge', points: readPoints(m, numberValues, true) } };
    case 'summary':
      return { ...metric, body: { type: 'summary', points: readPoints(m, summaryValues, false) } };
  }
  const path = `${m.dataPath}.aggregationTemporality`;
  const t = readEnum(field(m.data, 'aggregationTemporality', 'aggregation_temporality'), path, temporalityNames(), 'aggregation temporality');
  const temporality = typeof t === 'number' ? t : 0;
  const rejected = typeof t === 'number' ? {} : { rejected: t.unknown };
  switch (m.type) {
    case 'sum': {
      const isMonotonic = asBool(field(m.data, 'isMonotonic', 'is_monotonic'), `${m.dataPath}.isMonotonic`);
      return { ...metric, ...rejected, body: { type: 'sum', temporality, isMonotonic, points: readPoints(m, numberValues, true) } };
    }
    case 'histogram':
      return { ...metric, ...rejected, body: { type: 'histogram', temporality, points: readPoints(m, histogramValues, true) } };
    case 'exponential_histogram': {
      const points = readPoints(m, exponentialHistogramValues, true);
      return { ...metric, ...rejected, body: { type: 'exponential_histogram', temporality, points } };
    }
  }
}

function readPoints<V>(m: ShapedMetric, readValues: (p: JsonObject, path: string) => V, withExemplars: boolean): OtlpPointEntry<V>[] {
  return m.points.map((p, i) => readPoint(p, `${m.dataPath}.dataPoints[${i}]`, readValues, withExemplars));
}

function readPoint<V>(
  value: unknown,
  path: string,
  readValues: (p: JsonObject, path: string) => V,
  withExemplars: boolean,
): OtlpPointEntry<V> {
  const p = asObject(value, path) ?? {};
  try {
    return {
      kind: 'point',
      attributes: readKeyValues(p['attributes'], `${path}.attributes`, 0),
      startTimeUnixNano: asUint64(field(p, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
      timeUnixNano: asUint64(field(p, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
      flags: asUint32(p['flags'], `${path}.flags`),
      exemplars: withExemplars
        ? (asArray(p['exemplars'], `${path}.exemplars`) ?? []).map((e, i) => readExemplar(e, `${path}.exemplars[${i}]`))
        : [],
      values: readValues(p, path),
    };
  } catch (err) {
    if (err instanceof PointRejection) return { kind: 'rejected', reason: err.reason };
    throw err;
  }
}

function readExemplar(value: unknown, path: string): OtlpExemplarData {
  const e = asObject(value, path) ?? {};
  return {
    filteredAttributes: readKeyValues(field(e, 'filteredAttributes', 'filtered_attributes'), `${path}.filteredAttributes`, 0),
    timeUnixNano: asUint64(field(e, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    value: readNumberValue(e, path, 'exemplar'),
    traceId: hexId(field(e, 'traceId', 'trace_id'), `${path}.traceId`),
    spanId: hexId(field(e, 'spanId', 'span_id'), `${path}.spanId`),
  };
}

function hexId(value: unknown, path: string): string {
  const id = readHexId(value, path);
  if (typeof id === 'string') throw new PointRejection(id);
  return id.hex;
}

/** The `value` oneof of number points and exemplars: asDouble, asInt (exact), or null when neither is set. */
function readNumberValue(obj: JsonObject, path: string, what: string): number | bigint | null {
  switch (oneofMember(obj, VALUE_MEMBERS, path, what)) {
    case 'asDouble':
      return asDouble(field(obj, 'asDouble', 'as_double'), `${path}.asDouble`);
    case 'asInt':
      return asInt64(field(obj, 'asInt', 'as_int'), `${path}.asInt`);
    case undefined:
      return null;
  }
}

function numberValues(p: JsonObject, path: string): OtlpNumberPointValues {
  return { value: readNumberValue(p, path, 'data point') };
}

/** A uint64 count; a negative one rejects the point (it is invalid, not unreadable). */
function count(value: unknown, path: string): bigint {
  const n = asCount(value, path);
  if (n < 0n) throw new PointRejection(`${path} is negative (${n}); counts are unsigned`);
  return n;
}

function counts(value: unknown, path: string): bigint[] {
  return (asArray(value, path) ?? []).map((c, i) => count(c, `${path}[${i}]`));
}

/** A proto3 `optional double`: null when not sent. */
function optionalDouble(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : asDouble(value, path);
}

function histogramValues(p: JsonObject, path: string): OtlpHistogramPointValues {
  return {
    count: count(p['count'], `${path}.count`),
    sum: optionalDouble(p['sum'], `${path}.sum`),
    bucketCounts: counts(field(p, 'bucketCounts', 'bucket_counts'), `${path}.bucketCounts`),
    explicitBounds: (asArray(field(p, 'explicitBounds', 'explicit_bounds'), `${path}.explicitBounds`) ?? []).map((b, i) =>
      asDouble(b, `${path}.explicitBounds[${i}]`),
    ),
    min: optionalDouble(p['min'], `${path}.min`),
    max: optionalDouble(p['max'], `${path}.max`),
  };
}

function exponentialHistogramValues(p: JsonObject, path: string): OtlpExponentialHistogramPointValues {
  return {
    count: count(p['count'], `${path}.count`),
    sum: optionalDouble(p['sum'], `${path}.sum`),
    scale: asInt32(p['scale'], `${path}.scale`),
    zeroCount: count(field(p, 'zeroCount', 'zero_count'), `${path}.zeroCount`),
    zeroThreshold: asDouble(field(p, 'zeroThreshold', 'zero_threshold'), `${path}.zeroThreshold`),
    positive: buckets(p['positive'], `${path}.positive`),
    negative: buckets(p['negative'], `${path}.negative`),
    min: optionalDouble(p['min'], `${path}.min`),
    max: optionalDouble(p['max'], `${path}.max`),
  };
}

function buckets(value: unknown, path: string): OtlpExponentialBuckets {
  const b = asObject(value, path) ?? {};
  return {
    offset: asInt32(b['offset'], `${path}.offset`),
    bucketCounts: counts(field(b, 'bucketCounts', 'bucket_counts'), `${path}.bucketCounts`),
  };
}

function summaryValues(p: JsonObject, path: string): OtlpSummaryPointValues {
  const quantiles = asArray(field(p, 'quantileValues', 'quantile_values'), `${path}.quantileValues`) ?? [];
  return {
    count: count(p['count'], `${path}.count`),
    sum: asDouble(p['sum'], `${path}.sum`),
    quantileValues: quantiles.map((q, i) => {
      const qPath = `${path}.quantileValues[${i}]`;
      const obj = asObject(q, qPath) ?? {};
      return { quantile: asDouble(obj['quantile'], `${qPath}.quantile`), value: asDouble(obj['value'], `${qPath}.value`) };
    }),
  };
}
