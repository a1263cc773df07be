/**
 * @sextant/otlp: OTLP logs and metrics decoding (protobuf and OTLP/JSON) into Sextant LogRecords and neutral
 * metric data points, and the encoders for the responses an OTLP receiver sends back. Pure logic: no
 * transport, no framework.
 */
export {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  type OtlpDecodeContext,
  type OtlpDecodeResult,
} from './decode-otlp-logs';
export {
  decodeOtlpMetricsJson,
  decodeOtlpMetricsProtobuf,
  type OtlpMetricsDecodeContext,
  type OtlpMetricsDecodeResult,
} from './decode-otlp-metrics';
export {
  DATA_POINT_FLAG_NO_RECORDED_VALUE,
  type OtlpAggregationTemporality,
  type OtlpExemplar,
  type OtlpExponentialBuckets,
  type OtlpExponentialHistogramPoint,
  type OtlpExponentialHistogramPointValues,
  type OtlpGaugePoint,
  type OtlpHistogramPoint,
  type OtlpHistogramPointValues,
  type OtlpMetricPoint,
  type OtlpMetricPointBase,
  type OtlpMetricScope,
  type OtlpMetricType,
  type OtlpNumberPointValues,
  type OtlpSumPoint,
  type OtlpSummaryPoint,
  type OtlpSummaryPointValues,
  type OtlpValueAtQuantile,
} from './otlp-metrics.model';
export {
  OtlpDecodeError,
  OtlpTooManyDataPointsError,
  OtlpTooManyItemsError,
  OtlpTooManyRecordsError,
} from './otlp-decode.error';
export {
  encodeExportLogsResponseJson,
  encodeExportLogsResponseProtobuf,
  encodeExportMetricsResponseJson,
  encodeExportMetricsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  GrpcStatusCode,
  metricsPartialSuccessOf,
  partialSuccessOf,
  type ExportLogsPartialSuccess,
  type ExportMetricsPartialSuccess,
  type OtlpRejectionSummary,
  type RpcStatus,
  type RpcStatusDetail,
} from './encode-otlp-response';
export { BODY_JSON_FLAG, EVENT_NAME_ATTRIBUTE, OTLP_SOURCE } from './map-otlp-logs';
export { metricSampleOf } from './metric-sample-of';
export { MAX_ANY_VALUE_DEPTH } from './otlp-common.model';
export { MAX_REPORTED_ERRORS } from './otlp-rejections';
export { OTLP_PROTO_DIR, OTLP_PROTO_FILES, otlpProtoTypes, type OtlpProtoTypes } from './otlp-proto-root';
