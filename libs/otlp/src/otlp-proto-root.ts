/**
 * Loads the official OTLP schema (opentelemetry-proto, and google.rpc.Status from googleapis), vendored
 * verbatim under the library's `proto/` folder, into one protobufjs Root, once, on first use, and hands out the
 * message types the decoders and the response encoders need. The folder is found from the compiled file
 * (`dist/` sits beside `proto/`), so nothing is copied at build time. Field names are converted to
 * lowerCamelCase (protobufjs's default), which is also the OTLP/JSON spelling. google.protobuf.Any comes from
 * protobufjs's bundled well-known types.
 */
import { isAbsolute, join } from 'node:path';
import * as protobuf from 'protobufjs';

/** The folder that holds the vendored .proto files (import paths resolve against it). */
export const OTLP_PROTO_DIR = join(__dirname, '..', 'proto');

/** The files loaded, relative to OTLP_PROTO_DIR; their imports come along. A gRPC server loads the same. */
export const OTLP_PROTO_FILES: readonly string[] = Object.freeze([
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'google/rpc/status.proto',
]);

/** The message types of the logs and metrics paths, resolved against one another. */
export interface OtlpProtoTypes {
  readonly root: protobuf.Root;
  readonly exportLogsServiceRequest: protobuf.Type;
  readonly exportLogsServiceResponse: protobuf.Type;
  readonly exportMetricsServiceRequest: protobuf.Type;
  readonly exportMetricsServiceResponse: protobuf.Type;
  readonly status: protobuf.Type;
}

let loaded: OtlpProtoTypes | undefined;

/** The OTLP types (read from disk on the first call, shared afterwards; protobufjs types are stateless). */
export function otlpProtoTypes(): OtlpProtoTypes {
  if (loaded !== undefined) return loaded;
  const root = new protobuf.Root();
  // Imports name paths from the schema root (`opentelemetry/proto/common/v1/common.proto`), not from the
  // importing file's folder, which is protobufjs's default.
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(OTLP_PROTO_DIR, target));
  root.loadSync([...OTLP_PROTO_FILES], { keepCase: false });
  root.resolveAll();
  loaded = {
    root,
    exportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    exportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    exportMetricsServiceRequest: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    exportMetricsServiceResponse: root.lookupType(
      'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
    ),
    status: root.lookupType('google.rpc.Status'),
  };
  return loaded;
}
