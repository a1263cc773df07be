/**
 * Encodes what an OTLP logs receiver sends back: the ExportLogsServiceResponse of a successful export (with an
 * ExportLogsPartialSuccess when records were rejected), and the google.rpc.Status that OTLP/HTTP puts in the
 * body of every 4xx/5xx response and OTLP/gRPC uses as its error. Both come in the two OTLP encodings; the
 * spec asks for the response in the content type of the request.
 */
import type { OtlpDecodeResult } from './decode-otlp-logs';
import { otlpProtoTypes } from './otlp-proto-root';

/** ExportLogsPartialSuccess: how many records were rejected and why. */
export interface ExportLogsPartialSuccess {
  /** Rejected log records (0 with a message is a warning that everything was accepted). */
  readonly rejectedLogRecords: number | bigint;
  /** Developer-facing explanation. */
  readonly errorMessage: string;
}

/** One element of Status.details: a packed google.protobuf.Any. */
export interface RpcStatusDetail {
  /** Type URL of the packed message, e.g. `type.googleapis.com/google.rpc.BadRequest`. */
  readonly typeUrl: string;
  /** The packed message's protobuf bytes. */
  readonly value: Uint8Array;
}

/** google.rpc.Status. OTLP does not act on `code`, but gRPC clients and logs do, so set a real one. */
export interface RpcStatus {
  /** A gRPC status code (GrpcStatusCode). */
  readonly code: number;
  /** Developer-facing error message. */
  readonly message: string;
  readonly details?: readonly RpcStatusDetail[];
}

/** The gRPC status codes an OTLP receiver answers with (google.rpc.Code). */
export const GrpcStatusCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** The partial success to report for a decode result: undefined when nothing was rejected (the spec asks to
 * leave the field unset then), else the count and the reasons joined with "; ". */
export function partialSuccessOf(result: OtlpDecodeResult): ExportLogsPartialSuccess | undefined {
  if (result.rejected === 0) return undefined;
  const more = result.rejected - result.errors.length;
  const reasons = more > 0 ? [...result.errors, `and ${more} more`] : result.errors;
  return { rejectedLogRecords: result.rejected, errorMessage: reasons.join('; ') };
}

/** ExportLogsServiceResponse as protobuf bytes (empty when there is no partial success: all fields default). */
export function encodeExportLogsResponseProtobuf(partialSuccess?: ExportLogsPartialSuccess): Uint8Array {
  const type = otlpProtoTypes().exportLogsServiceResponse;
  // Fields at their default are left out, as proto3 writers do (protobufjs writes whatever is set).
  const message = partialSuccess
    ? {
        partialSuccess: withoutDefaults({
          rejectedLogRecords: BigInt(partialSuccess.rejectedLogRecords).toString(),
          errorMessage: partialSuccess.errorMessage,
        }),
      }
    : {};
  return type.encode(type.fromObject(message)).finish();
}

/** ExportLogsServiceResponse as OTLP/JSON: `{}` or `{"partialSuccess":{"rejectedLogRecords":"2",...}}`
 * (an int64 is a decimal string in proto3 JSON). */
export function encodeExportLogsResponseJson(partialSuccess?: ExportLogsPartialSuccess): string {
  if (!partialSuccess) return '{}';
  return JSON.stringify({
    partialSuccess: {
      rejectedLogRecords: BigInt(partialSuccess.rejectedLogRecords).toString(),
      errorMessage: partialSuccess.errorMessage,
    },
  });
}

/** google.rpc.Status as protobuf bytes. */
export function encodeStatusProtobuf(status: RpcStatus): Uint8Array {
  const type = otlpProtoTypes().status;
  return type
    .encode(
      type.fromObject(
        withoutDefaults({
          code: status.code,
          message: status.message,
          // protobufjs's bundled google.protobuf.Any keeps the field's proto name, type_url.
          details: (status.details ?? []).map((d) => withoutDefaults({ type_url: d.typeUrl, value: d.value })),
        }),
      ),
    )
    .finish();
}

/** google.rpc.Status as JSON: `{"code":3,"message":"...","details":[]}`; a detail is written as
 * `{"@type": typeUrl, "value": base64}` since its message type is not known here. */
export function encodeStatusJson(status: RpcStatus): string {
  return JSON.stringify({
    code: status.code,
    message: status.message,
    details: (status.details ?? []).map((d) => ({
      '@type': d.typeUrl,
      value: Buffer.from(d.value.buffer, d.value.byteOffset, d.value.byteLength).toString('base64'),
    })),
  });
}

/** The object without its proto3-default members (0, '0', '', empty bytes or lists). */
function withoutDefaults(message: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(message).filter(
      ([, v]) => !(v === 0 || v === '0' || v === '' || (isListLike(v) && v.length === 0)),
    ),
  );
}

function isListLike(v: unknown): v is Uint8Array | unknown[] {
  return v instanceof Uint8Array || Array.isArray(v);
}
