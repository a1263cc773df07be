/**
 * The protobuf schema text for OTLP logs, transcribed from opentelemetry-proto (v1.x, the stable logs signal)
 * with the field numbers, types and names of the upstream files; plus google.rpc.Status, which OTLP/HTTP and
 * OTLP/gRPC use for error responses. Kept as TypeScript strings (one per upstream file, keyed by its
 * canonical path) so the compiled library needs no `.proto` file copied beside it. Only the messages the logs
 * path needs are here: upstream additions this text does not know (for example Resource.entity_refs) are
 * skipped by the decoder as unknown fields, which is what protobuf readers do by design.
 */

/** opentelemetry/proto/common/v1/common.proto (values, key-value lists, instrumentation scope). */
const COMMON_PROTO = `
syntax = "proto3";
package opentelemetry.proto.common.v1;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}

message ArrayValue {
  repeated AnyValue values = 1;
}

message KeyValueList {
  repeated KeyValue values = 1;
}

message KeyValue {
  string key = 1;
  AnyValue value = 2;
}

message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
`;

/** opentelemetry/proto/resource/v1/resource.proto. */
const RESOURCE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.resource.v1;
import "opentelemetry/proto/common/v1/common.proto";

message Resource {
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
`;

/** opentelemetry/proto/logs/v1/logs.proto. Field 4 (the old `name`) and 1000 are reserved upstream. */
const LOGS_PROTO = `
syntax = "proto3";
package opentelemetry.proto.logs.v1;
import "opentelemetry/proto/common/v1/common.proto";
import "opentelemetry/proto/resource/v1/resource.proto";

message LogsData {
  repeated ResourceLogs resource_logs = 1;
}

message ResourceLogs {
  reserved 1000;
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}

message ScopeLogs {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}

enum SeverityNumber {
  SEVERITY_NUMBER_UNSPECIFIED = 0;
  SEVERITY_NUMBER_TRACE = 1;
  SEVERITY_NUMBER_TRACE2 = 2;
  SEVERITY_NUMBER_TRACE3 = 3;
  SEVERITY_NUMBER_TRACE4 = 4;
  SEVERITY_NUMBER_DEBUG = 5;
  SEVERITY_NUMBER_DEBUG2 = 6;
  SEVERITY_NUMBER_DEBUG3 = 7;
  SEVERITY_NUMBER_DEBUG4 = 8;
  SEVERITY_NUMBER_INFO = 9;
  SEVERITY_NUMBER_INFO2 = 10;
  SEVERITY_NUMBER_INFO3 = 11;
  SEVERITY_NUMBER_INFO4 = 12;
  SEVERITY_NUMBER_WARN = 13;
  SEVERITY_NUMBER_WARN2 = 14;
  SEVERITY_NUMBER_WARN3 = 15;
  SEVERITY_NUMBER_WARN4 = 16;
  SEVERITY_NUMBER_ERROR = 17;
  SEVERITY_NUMBER_ERROR2 = 18;
  SEVERITY_NUMBER_ERROR3 = 19;
  SEVERITY_NUMBER_ERROR4 = 20;
  SEVERITY_NUMBER_FATAL = 21;
  SEVERITY_NUMBER_FATAL2 = 22;
  SEVERITY_NUMBER_FATAL3 = 23;
  SEVERITY_NUMBER_FATAL4 = 24;
}

enum LogRecordFlags {
  LOG_RECORD_FLAGS_DO_NOT_USE = 0;
  LOG_RECORD_FLAGS_TRACE_FLAGS_MASK = 0x000000FF;
}

message LogRecord {
  reserved 4;
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  SeverityNumber severity_number = 2;
  string severity_text = 3;
  opentelemetry.proto.common.v1.AnyValue body = 5;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
`;

/** opentelemetry/proto/collector/logs/v1/logs_service.proto (the Export call of OTLP/gRPC and OTLP/HTTP). */
const LOGS_SERVICE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.logs.v1;
import "opentelemetry/proto/logs/v1/logs.proto";

service LogsService {
  rpc Export(ExportLogsServiceRequest) returns (ExportLogsServiceResponse) {}
}

message ExportLogsServiceRequest {
  repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1;
}

message ExportLogsServiceResponse {
  ExportLogsPartialSuccess partial_success = 1;
}

message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}
`;

/** google/protobuf/any.proto (the element type of Status.details). */
const ANY_PROTO = `
syntax = "proto3";
package google.protobuf;

message Any {
  string type_url = 1;
  bytes value = 2;
}
`;

/** google/rpc/status.proto: the body of OTLP/HTTP 4xx/5xx responses and the gRPC error detail. */
const STATUS_PROTO = `
syntax = "proto3";
package google.rpc;
import "google/protobuf/any.proto";

message Status {
  int32 code = 1;
  string message = 2;
  repeated google.protobuf.Any details = 3;
}
`;

/**
 * The schema files, keyed by their upstream path, in dependency order. Exported so a gRPC server (which needs
 * the LogsService definition) can load the very same text.
 */
export const OTLP_LOGS_PROTO_FILES: Readonly<Record<string, string>> = Object.freeze({
  'opentelemetry/proto/common/v1/common.proto': COMMON_PROTO,
  'opentelemetry/proto/resource/v1/resource.proto': RESOURCE_PROTO,
  'opentelemetry/proto/logs/v1/logs.proto': LOGS_PROTO,
  'opentelemetry/proto/collector/logs/v1/logs_service.proto': LOGS_SERVICE_PROTO,
  'google/protobuf/any.proto': ANY_PROTO,
  'google/rpc/status.proto': STATUS_PROTO,
});
