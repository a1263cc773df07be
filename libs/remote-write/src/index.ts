/**
 * @sextant/remote-write: decodes and validates Prometheus remote-write requests (1.0 `prometheus.WriteRequest`
 * and 2.0 `io.prometheus.write.v2.Request`, snappy block compressed) into a protocol-neutral model, with the
 * rules of Prometheus's own receiver, and says what to answer. Pure logic: no HTTP, no framework, no Kafka.
 */
export { createRemoteWriteDecoder, decodeRemoteWrite, decodeRemoteWriteProtobuf, type RemoteWriteDecoder, type RemoteWriteHttpRequest } from './decode-remote-write';
export { encodeRemoteWriteBody, encodeRemoteWriteProtobuf } from './encode-remote-write';
export { negotiateRemoteWrite, REMOTE_WRITE_CONTENT_TYPES, REMOTE_WRITE_ENCODING, REMOTE_WRITE_MEDIA_TYPE } from './negotiate-remote-write';
export { orderRequest, orderSamples, seriesKey, type OrderedPoints, type OrderedRequest } from './order-samples';
export {
  DEFAULT_ACCEPTED_MESSAGES,
  DEFAULT_EXEMPLAR_ONLY_SERIES,
  DEFAULT_MAX_AHEAD_MS,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_NAME_VALIDATION,
  DEFAULT_REMOTE_WRITE_DECODE_CONFIG,
  DEFAULT_V1_INVALID_SERIES,
  resolveRemoteWriteDecodeConfig,
  type ExemplarOnlySeries,
  type NameValidation,
  type RemoteWriteDecodeConfig,
  type V1InvalidSeries,
} from './remote-write.config';
export { RemoteWriteDecodeError, RemoteWriteError, RemoteWriteTooLargeError, RemoteWriteUnsupportedError } from './remote-write.error';
export {
  CUSTOM_BUCKETS_SCHEMA,
  REMOTE_WRITE_V1,
  REMOTE_WRITE_V2,
  type BucketSpan,
  type Exemplar,
  type FloatNativeHistogram,
  type HistogramResetHint,
  type IntegerNativeHistogram,
  type Label,
  type MetricMetadata,
  type MetricType,
  type NativeHistogram,
  type RemoteWriteCounts,
  type RemoteWriteMessage,
  type RemoteWriteProblem,
  type RemoteWriteRequest,
  type RemoteWriteSeries,
  type Sample,
} from './remote-write.model';
export { REMOTE_WRITE_PROTO_DIR, REMOTE_WRITE_PROTO_FILES, remoteWriteProtoTypes, type RemoteWriteProtoTypes } from './remote-write-proto';
export {
  EXEMPLARS_WRITTEN_HEADER,
  HISTOGRAMS_WRITTEN_HEADER,
  remoteWriteErrorResponse,
  remoteWriteResponse,
  remoteWriteWrittenHeaders,
  SAMPLES_WRITTEN_HEADER,
  type RemoteWriteResponse,
} from './remote-write-response';
export { snappyDecodedLength, type SnappyBlockCodec } from './snappy-block';
export { float64Bits, isStaleNaN, STALE_NAN, STALE_NAN_BITS } from './stale-nan';
export { nativeHistogramProblem } from './validate-native-histogram';
export { compareUtf8, formatLabels, METRIC_NAME_LABEL } from './validate-series-labels';
export { metricSamplesOf, REMOTE_WRITE_SOURCE, seriesScratchOf } from './metric-samples-of';
