/**
 * Encodes what an OTLP logs or metrics receiver sends back: the Export*ServiceResponse of a successful export
 * (with a partial success when records or data points were rejected), and the google.rpc.Status that
 * OTLP/HTTP puts in the body of every 4xx/5xx response and OTLP/gRPC uses as its error. Both come in the two
 * OTLP encodings; the spec asks for the response in the content type of the request.
 */
import type * as protobuf from 'protobufjs';
import { otlpProtoTypes } from './otlp-proto-root';

/** ExportLogsPartialSuccess: how many records were rejected and why. */
export interface ExportLogsPartialSuccess {
  /** Rejected log records (0 with a message is a warning that everything was accepted). */
  readonly rejectedLogRecords: number | bigint;
  /** Developer-facing explanation. */
  readonly errorMessage: string;
}

/** ExportMetricsPartialSuccess: how many data points were rejected and why. */
export interface ExportMetricsPartialSuccess {
  /** Rejected data points (0 with a message is a warning that everything was accepted). */
  readonly rejectedDataPoints: number | bigint;
  /** Developer-facing explanation. */
  readonly errorMessage: string;
}

/** What a decode result says about its rejections (logs and metrics results alike). */
export interface OtlpRejectionSummary {
  readonly rejected: number;
  readonly errors: readonly string[];
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

/** The logs partial success to report for a decode result: undefined when nothing was rejected (the spec
 * asks to leave the field unset then), else the count and the reasons joined with "; ". */
export function partialSuccessOf(result: OtlpRejectionSummary): ExportLogsPartialSuccess | undefined {
  return result.rejected === 0 ? undefined : { rejectedLogRecords: result.rejected, errorMessage: rejectionMessage(result) };
}

/** The metrics partial success to report for a decode result, as partialSuccessOf. */
export function metricsPartialSuccessOf(result: OtlpRejectionSummary): ExportMetricsPartialSuccess | undefined {
  return result.rejected === 0 ? undefined : { rejectedDataPoints: result.rejected, errorMessage: rejectionMessage(result) };
}

function rejectionMessage(result: OtlpRejectionSummary): string {
  const more = result.rejected - result.errors.length;
  return (more > 0 ? [...result.errors, `and ${more} more`] : result.errors).join('; ');
}

/** ExportLogsServiceResponse as protobuf bytes (empty when there is no partial success: all fields default). */
export function encodeExportLogsResponseProtobuf(partialSuccess?: ExportLogsPartialSuccess): Uint8Array {
  return encodeResponseProtobuf(otlpProtoTypes().exportLogsServiceResponse, partialSuccess && logsFields(partialSuccess));
}

/** ExportLogsServiceResponse as OTLP/JSON: `{}` or `{"partialSuccess":{"rejectedLogRecords":"2",...}}`
 * (an int64 is a decimal string in proto3 JSON). */
export function encodeExportLogsResponseJson(partialSuccess?: ExportLogsPartialSuccess): string {
  return encodeResponseJson(partialSuccess && logsFields(partialSuccess));
}

/** ExportMetricsServiceResponse as protobuf bytes (empty when there is no partial success). */
export function encodeExportMetricsResponseProtobuf(partialSuccess?: ExportMetricsPartialSuccess): Uint8Array {
  return encodeResponseProtobuf(otlpProtoTypes().exportMetricsServiceResponse, partialSuccess && metricsFields(partialSuccess));
}

/** ExportMetricsServiceResponse as OTLP/JSON: `{}` or `{"partialSuccess":{"rejectedDataPoints":"2",...}}`. */
export function encodeExportMetricsResponseJson(partialSuccess?: ExportMetricsPartialSuccess): string {
  return encodeResponseJson(partialSuccess && metricsFields(partialSuccess));
}

/** A partial success's fields, its int64 count as a decimal string (protobufjs and proto3 JSON both take that). */
type PartialSuccessFields = Readonly<Record<string, string>>;

function logsFields(p: ExportLogsPartialSuccess): PartialSuccessFields {
  return { rejectedLogRecords: BigInt(p.rejectedLogRecords).toString(), errorMessage: p.errorMessage };
}

function metricsFields(p: ExportMetricsPartialSuccess): PartialSuccessFields {
  return { rejectedDataPoints: BigInt(p.rejectedDataPoints).toString(), errorMessage: p.errorMessage };
}

function encodeResponseProtobuf(type: protobuf.Type, partialSuccess: PartialSuccessFields | undefined): Uint8Array {
  // Fields at their default are left out, as proto3 writers do (protobufjs writes whatever is set).
  const message = partialSuccess ? { partialSuccess: withoutDefaults(partialSuccess) } : {};
  return type.encode(type.fromObject(message)).finish();
}

function encodeResponseJson(partialSuccess: PartialSuccessFields | undefined): string {
  return partialSuccess ? JSON.stringify({ partialSuccess }) : '{}';
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
