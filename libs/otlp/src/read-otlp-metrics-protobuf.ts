/**
 * Reads a binary (application/x-protobuf) ExportMetricsServiceRequest into the encoding-neutral request model.
 * protobufjs does the wire decoding against the official schema; this module turns its message objects into
 * exact values: Long → bigint, the `data` and `value` oneofs by their virtual member name, proto3 `optional`
 * fields (histogram sum, min, max) → null when not sent. Undecodable bytes throw OtlpDecodeError; the data
 * point count is checked against the limit before any point is converted.
 */
import { OtlpTooManyDataPointsError } from './otlp-decode.error';
import type {
  OtlpExponentialBuckets,
  OtlpExponentialHistogramPointValues,
  OtlpHistogramPointValues,
  OtlpNumberPointValues,
  OtlpSummaryPointValues,
} from './otlp-metrics.model';
import type {
  OtlpExemplarData,
  OtlpMetricBody,
  OtlpMetricData,
  OtlpMetricLocation,
  OtlpMetricsRequestData,
  OtlpPointData,
} from './otlp-metrics-request.model';
import { otlpProtoTypes } from './otlp-proto-root';
import {
  decodeOtlpProtobuf,
  EMPTY_BYTES,
  int64,
  readKeyValues,
  uint64,
  type PbInt64,
  type PbKeyValue,
  type PbScope,
} from './read-otlp-protobuf-values';

/** Fields every data point type has. `value` is the virtual oneof member name of number points and exemplars. */
interface PbPoint {
  readonly attributes?: readonly PbKeyValue[];
  readonly startTimeUnixNano?: PbInt64;
  readonly timeUnixNano?: PbInt64;
  readonly flags?: number;
  readonly exemplars?: readonly PbExemplar[];
}

interface PbExemplar {
  readonly filteredAttributes?: readonly PbKeyValue[];
  readonly timeUnixNano?: PbInt64;
  readonly value?: string;
  readonly asDouble?: number;
  readonly asInt?: PbInt64;
  readonly traceId?: Uint8Array;
  readonly spanId?: Uint8Array;
}

interface PbNumberPoint extends PbPoint {
  readonly value?: string;
  readonly asDouble?: number;
  readonly asInt?: PbInt64;
}

/** Histogram sum/min/max are proto3 `optional`: protobufjs leaves them null when they were not sent. */
interface PbHistogramPoint extends PbPoint {
  readonly count?: PbInt64;
  readonly sum?: number | null;
  readonly bucketCounts?: readonly PbInt64[];
  readonly explicitBounds?: readonly number[];
  readonly min?: number | null;
  readonly max?: number | null;
}

interface PbBuckets {
  readonly offset?: number;
  readonly bucketCounts?: readonly PbInt64[];
}

interface PbExponentialHistogramPoint extends PbPoint {
  readonly count?: PbInt64;
  readonly sum?: number | null;
  readonly scale?: number;
  readonly zeroCount?: PbInt64;
  readonly zeroThreshold?: number;
  readonly positive?: PbBuckets | null;
  readonly negative?: PbBuckets | null;
  readonly min?: number | null;
  readonly max?: number | null;
}

interface PbSummaryPoint extends PbPoint {
  readonly count?: PbInt64;
  readonly sum?: number;
  readonly quantileValues?: readonly { readonly quantile?: number; readonly value?: number }[];
}

interface PbDataPoints<P> {
  readonly dataPoints?: readonly P[];
  readonly aggregationTemporality?: number;
  readonly isMonotonic?: boolean;
}

interface PbMetric {
  readonly name?: string;
  readonly description?: string;
  readonly unit?: string;
  /** Name of the `data` oneof member that is set. */
  readonly data?: string;
  readonly gauge?: PbDataPoints<PbNumberPoint> | null;
  readonly sum?: PbDataPoints<PbNumberPoint> | null;
  readonly histogram?: PbDataPoints<PbHistogramPoint> | null;
  readonly exponentialHistogram?: PbDataPoints<PbExponentialHistogramPoint> | null;
  readonly summary?: PbDataPoints<PbSummaryPoint> | null;
}

interface PbRequest {
  readonly resourceMetrics?: readonly {
    readonly resource?: { readonly attributes?: readonly PbKeyValue[] } | null;
    readonly schemaUrl?: string;
    readonly scopeMetrics?: readonly {
      readonly scope?: PbScope | null;
      readonly schemaUrl?: string;
      readonly metrics?: readonly PbMetric[];
    }[];
  }[];
}

/** Decodes the bytes of an ExportMetricsServiceRequest. */
export function readOtlpMetricsProtobuf(buf: Uint8Array, maxDataPoints?: number): OtlpMetricsRequestData {
  const request = decodeOtlpProtobuf<PbRequest>(otlpProtoTypes().exportMetricsServiceRequest, buf);
  const resourceMetrics = request.resourceMetrics ?? [];
  if (maxDataPoints !== undefined) {
    let count = 0;
    for (const rm of resourceMetrics) {
      for (const sm of rm.scopeMetrics ?? []) for (const m of sm.metrics ?? []) count += dataOf(m)?.dataPoints?.length ?? 0;
    }
    if (count > maxDataPoints) throw new OtlpTooManyDataPointsError(count, maxDataPoints);
  }
  return {
    resourceMetrics: resourceMetrics.map((rm, resourceIndex) => ({
      resource: readKeyValues(rm.resource?.attributes, 0),
      schemaUrl: rm.schemaUrl ?? '',
      scopeMetrics: (rm.scopeMetrics ?? []).map((sm, scopeIndex) => ({
        scopeName: sm.scope?.name ?? '',
        scopeVersion: sm.scope?.version ?? '',
        scopeAttributes: readKeyValues(sm.scope?.attributes, 0),
        schemaUrl: sm.schemaUrl ?? '',
        metrics: (sm.metrics ?? []).map((m, metricIndex) => readMetric(m, { resourceIndex, scopeIndex, metricIndex })),
      })),
    })),
  };
}

/** The member of the `data` oneof that is set, if it is one this schema knows. */
function dataOf(m: PbMetric): PbDataPoints<PbPoint> | null | undefined {
  switch (m.data) {
    case 'gauge':
    case 'sum':
    case 'histogram':
    case 'exponentialHistogram':
    case 'summary':
      return m[m.data];
    default:
      return undefined;
  }
}

function readMetric(m: PbMetric, location: OtlpMetricLocation): OtlpMetricData {
  return { location, name: m.name ?? '', description: m.description ?? '', unit: m.unit ?? '', body: readBody(m) };
}

function readBody(m: PbMetric): OtlpMetricBody {
  switch (m.data) {
    case 'gauge':
      return { type: 'gauge', points: (m.gauge?.dataPoints ?? []).map((p) => readPoint(p, numberValues(p))) };
    case 'sum':
      return {
        type: 'sum',
        temporality: m.sum?.aggregationTemporality ?? 0,
        isMonotonic: m.sum?.isMonotonic === true,
        points: (m.sum?.dataPoints ?? []).map((p) => readPoint(p, numberValues(p))),
      };
    case 'histogram':
      return {
        type: 'histogram',
        temporality: m.histogram?.aggregationTemporality ?? 0,
        points: (m.histogram?.dataPoints ?? []).map((p) => readPoint(p, histogramValues(p))),
      };
    case 'exponentialHistogram':
      return {
        type: 'exponential_histogram',
        temporality: m.exponentialHistogram?.aggregationTemporality ?? 0,
        points: (m.exponentialHistogram?.dataPoints ?? []).map((p) => readPoint(p, exponentialHistogramValues(p))),
      };
    case 'summary':
      return { type: 'summary', points: (m.summary?.dataPoints ?? []).map((p) => readPoint(p, summaryValues(p))) };
    default:
      return { type: 'none' };
  }
}

function readPoint<V>(p: PbPoint, values: V): OtlpPointData<V> {
  return {
    kind: 'point',
    attributes: readKeyValues(p.attributes, 0),
    startTimeUnixNano: uint64(p.startTimeUnixNano),
    timeUnixNano: uint64(p.timeUnixNano),
    flags: (p.flags ?? 0) >>> 0,
    exemplars: (p.exemplars ?? []).map(readExemplar),
    values,
  };
}

function readExemplar(e: PbExemplar): OtlpExemplarData {
  return {
    filteredAttributes: readKeyValues(e.filteredAttributes, 0),
    timeUnixNano: uint64(e.timeUnixNano),
    value: e.value === 'asDouble' ? (e.asDouble ?? 0) : e.value === 'asInt' ? int64(e.asInt) : null,
    traceId: e.traceId ?? EMPTY_BYTES,
    spanId: e.spanId ?? EMPTY_BYTES,
  };
}

function numberValues(p: PbNumberPoint): OtlpNumberPointValues {
  return { value: p.value === 'asDouble' ? (p.asDouble ?? 0) : p.value === 'asInt' ? int64(p.asInt) : null };
}

function histogramValues(p: PbHistogramPoint): OtlpHistogramPointValues {
  return {
    count: uint64(p.count),
    sum: p.sum ?? null,
    bucketCounts: (p.bucketCounts ?? []).map(uint64),
    explicitBounds: [...(p.explicitBounds ?? [])],
    min: p.min ?? null,
    max: p.max ?? null,
  };
}

function exponentialHistogramValues(p: PbExponentialHistogramPoint): OtlpExponentialHistogramPointValues {
  return {
    count: uint64(p.count),
    sum: p.sum ?? null,
    scale: p.scale ?? 0,
    zeroCount: uint64(p.zeroCount),
    zeroThreshold: p.zeroThreshold ?? 0,
    positive: buckets(p.positive),
    negative: buckets(p.negative),
    min: p.min ?? null,
    max: p.max ?? null,
  };
}

function buckets(b: PbBuckets | null | undefined): OtlpExponentialBuckets {
  return { offset: b?.offset ?? 0, bucketCounts: (b?.bucketCounts ?? []).map(uint64) };
}

function summaryValues(p: PbSummaryPoint): OtlpSummaryPointValues {
  return {
    count: uint64(p.count),
    sum: p.sum ?? 0,
    quantileValues: (p.quantileValues ?? []).map((q) => ({ quantile: q.quantile ?? 0, value: q.value ?? 0 })),
  };
}
