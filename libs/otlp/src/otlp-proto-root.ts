/**
 * Loads the OTLP logs schema text into one protobufjs Root, once, on first use, and hands out the message types
 * the decoder and the response encoders need. Field names are converted to lowerCamelCase (protobufjs's
 * default), which is also the OTLP/JSON spelling.
 */
import * as protobuf from 'protobufjs';
import { OTLP_LOGS_PROTO_FILES } from './otlp-logs.proto';

/** The message types of the logs path, resolved against one another. */
export interface OtlpLogsProtoTypes {
  readonly root: protobuf.Root;
  readonly exportLogsServiceRequest: protobuf.Type;
  readonly exportLogsServiceResponse: protobuf.Type;
  readonly status: protobuf.Type;
}

let loaded: OtlpLogsProtoTypes | undefined;

/** The OTLP logs types (parsed on the first call, shared afterwards; protobufjs types are stateless). */
export function otlpLogsProtoTypes(): OtlpLogsProtoTypes {
  if (loaded !== undefined) return loaded;
  const root = new protobuf.Root();
  for (const [path, text] of Object.entries(OTLP_LOGS_PROTO_FILES)) {
    protobuf.parse(text, root, { keepCase: false });
    root.files.push(path);
  }
  root.resolveAll();
  loaded = {
    root,
    exportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    exportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  };
  return loaded;
}
