/**
 * The benchmarks' OTLP logs request: B log records of one resource, shaped like a service's access log (JSON
 * body, trace and span ids, two attributes), encoded as OTLP/JSON or OTLP/protobuf. Both benchmarks send this
 * same request so that their figures compare. Protobuf is encoded with a minimal schema of just the fields
 * sent here (field numbers from opentelemetry-proto), so the load generator depends on no receiver's code.
 */
import * as protobuf from 'protobufjs';

export type OtlpProtocol = 'json' | 'protobuf';

/** A request ready to POST: its body, content type and any other headers. */
export interface EncodedRequest {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const TRACE_ID_HEX = '5b8efff798038103d269b633813fc60c';
const SPAN_ID_HEX = 'eee19b7ec3c1b174';

// Wire-compatible subset of opentelemetry/proto/{collector/logs,logs,common,resource}/v1; severity_number is an
// enum there, which encodes as the same varint.
const MINIMAL_LOGS_PROTO = `
syntax = "proto3";
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeLogs { repeated LogRecord log_records = 2; }
message LogRecord {
  fixed64 time_unix_nano = 1; int32 severity_number = 2; string severity_text = 3; AnyValue body = 5;
  repeated KeyValue attributes = 6; bytes trace_id = 9; bytes span_id = 10;
}
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; int64 int_value = 3; } }
`;

let requestType: protobuf.Type | undefined;

function exportLogsServiceRequest(): protobuf.Type {
  requestType ??= protobuf.parse(MINIMAL_LOGS_PROTO, { keepCase: false }).root.lookupType('ExportLogsServiceRequest');
  return requestType;
}

/**
 * The request as an OTLP/JSON object. Ids are hex, as OTLP/JSON wants; `idsAs: 'base64'` spells them as
 * protobufjs's JSON mapping does, for encoding to protobuf. One service name per request lets a poller count a
 * request's rows from a cheap column.
 */
export function logsRequestObject(batchNo: number, records: number, idsAs: 'hex' | 'base64' = 'hex'): object {
  const traceId = idsAs === 'hex' ? TRACE_ID_HEX : Buffer.from(TRACE_ID_HEX, 'hex').toString('base64');
  const spanId = idsAs === 'hex' ? SPAN_ID_HEX : Buffer.from(SPAN_ID_HEX, 'hex').toString('base64');
  const now = BigInt(Date.now()) * 1_000_000n;
  const logRecords = [];
  for (let i = 0; i < records; i++) {
    logRecords.push({
      timeUnixNano: String(now + BigInt(i)),
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: `{"msg":"request served","path":"/api/items/${i}","status":200,"duration_ms":${i % 50}}` },
      traceId,
      spanId,
      attributes: [
        { key: 'bench.batch', value: { intValue: String(batchNo) } },
        { key: 'http.method', value: { stringValue: 'GET' } },
      ],
    });
  }
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: `bench-${batchNo}` } }, { key: 'k8s.pod.name', value: { stringValue: `pod-${batchNo % 16}` } }] },
        scopeLogs: [{ logRecords }],
      },
    ],
  };
}

/** The request of batch `batchNo` with `records` records, encoded for OTLP/HTTP. */
export function encodeLogsRequest(batchNo: number, records: number, protocol: OtlpProtocol): EncodedRequest {
  if (protocol === 'json') return { body: JSON.stringify(logsRequestObject(batchNo, records)), contentType: 'application/json' };
  const type = exportLogsServiceRequest();
  return { body: type.encode(type.fromObject(logsRequestObject(batchNo, records, 'base64'))).finish(), contentType: 'application/x-protobuf' };
}
