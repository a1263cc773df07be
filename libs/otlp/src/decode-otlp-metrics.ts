/**
 * The entry points of OTLP metrics decoding: an ExportMetricsServiceRequest, binary protobuf or OTLP/JSON,
 * becomes one OtlpMetricPoint per data point, for one tenant. A malformed request throws OtlpDecodeError
 * (answer 400), a request over the data point limit throws OtlpTooManyDataPointsError; metrics and points that
 * are invalid on their own are left out and counted in `rejected` with their reasons in `errors`, which is
 * what an ExportMetricsPartialSuccess reports (`rejected_data_points`).
 */
import { mapOtlpMetricsRequest } from './map-otlp-metrics';
import type { OtlpMetricPoint } from './otlp-metrics.model';
import { readOtlpMetricsJson } from './read-otlp-metrics-json';
import { readOtlpMetricsProtobuf } from './read-otlp-metrics-protobuf';

/** What the transport knows about a metrics request that the request itself does not carry. */
export interface OtlpMetricsDecodeContext {
  /** Tenant of the ingest credential, written on every point. */
  readonly tenant: string;
  /** Most data points accepted in one request (over all metrics of every type); more throws
   * OtlpTooManyDataPointsError before any point is converted. Default: no limit. */
  readonly maxDataPoints?: number;
}

export interface OtlpMetricsDecodeResult {
  /** The accepted data points, in request order. */
  readonly points: OtlpMetricPoint[];
  /** How many data points were left out because they, or their metric, were invalid. */
  readonly rejected: number;
  /** Why, one reason per rejected point or metric, with its path (at most MAX_REPORTED_ERRORS of them). */
  readonly errors: string[];
}

/** Decodes a binary (application/x-protobuf) ExportMetricsServiceRequest. */
export function decodeOtlpMetricsProtobuf(buf: Uint8Array, ctx: OtlpMetricsDecodeContext): OtlpMetricsDecodeResult {
  return mapOtlpMetricsRequest(readOtlpMetricsProtobuf(buf, ctx.maxDataPoints), ctx);
}

/**
 * Decodes an OTLP/JSON (application/json) ExportMetricsServiceRequest. Pass the text (or its UTF-8 bytes) when
 * you have it: 64-bit integers sent as bare JSON numbers are only exact when parsed here.
 */
export function decodeOtlpMetricsJson(text: string | object, ctx: OtlpMetricsDecodeContext): OtlpMetricsDecodeResult {
  return mapOtlpMetricsRequest(readOtlpMetricsJson(text, ctx.maxDataPoints), ctx);
}
