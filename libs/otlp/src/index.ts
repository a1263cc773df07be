/**
 * @sextant/otlp: OTLP logs decoding (protobuf and OTLP/JSON) into Sextant LogRecords, and the encoders for
 * the responses an OTLP receiver sends back. Pure logic: no transport, no framework.
 */
export {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  type OtlpDecodeContext,
  type OtlpDecodeResult,
} from './decode-otlp-logs';
export { OtlpDecodeError, OtlpTooManyRecordsError } from './otlp-decode.error';
export {
  encodeExportLogsResponseJson,
  encodeExportLogsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  GrpcStatusCode,
  partialSuccessOf,
  type ExportLogsPartialSuccess,
  type RpcStatus,
  type RpcStatusDetail,
} from './encode-otlp-response';
export { BODY_JSON_FLAG, EVENT_NAME_ATTRIBUTE, OTLP_SOURCE } from './map-otlp-logs';
export { MAX_ANY_VALUE_DEPTH } from './otlp-common.model';
export { MAX_REPORTED_ERRORS } from './otlp-rejections';
export { OTLP_PROTO_DIR, OTLP_PROTO_FILES, otlpProtoTypes, type OtlpProtoTypes } from './otlp-proto-root';
