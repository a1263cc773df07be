/**
 * The entry points of OTLP logs decoding: an ExportLogsServiceRequest, binary protobuf or OTLP/JSON, becomes
 * Sextant LogRecords for one tenant. A malformed request throws OtlpDecodeError (answer 400), a request over
 * the record limit throws OtlpTooManyRecordsError; records that are invalid on their own are left out and
 * counted in `rejected` with their reasons in `errors`, which is what an ExportLogsPartialSuccess reports.
 */
import type { LogRecord } from '@sextant/contracts';
import { mapOtlpLogsRequest } from './map-otlp-logs';
import { readOtlpLogsJson } from './read-otlp-logs-json';
import { readOtlpLogsProtobuf } from './read-otlp-logs-protobuf';

/** What the transport knows about a request that the request itself does not carry. */
export interface OtlpDecodeContext {
  /** Tenant of the ingest credential, written on every record. */
  readonly tenant: string;
  /** Receive time in nanoseconds since the Unix epoch; used for records whose observed_time_unix_nano is 0. */
  readonly observedTimeUnixNano: bigint;
  /** Most log records accepted in one request; more throws OtlpTooManyRecordsError. Default: no limit. */
  readonly maxRecords?: number;
}

export interface OtlpDecodeResult {
  /** The accepted records, in request order. */
  readonly records: LogRecord[];
  /** How many records were left out because they were invalid on their own. */
  readonly rejected: number;
  /** Why, one reason per rejected record with its path (at most MAX_REPORTED_ERRORS of them). */
  readonly errors: string[];
}

/** Decodes a binary (application/x-protobuf) ExportLogsServiceRequest. */
export function decodeOtlpLogsProtobuf(buf: Uint8Array, ctx: OtlpDecodeContext): OtlpDecodeResult {
  return mapOtlpLogsRequest(readOtlpLogsProtobuf(buf, ctx.maxRecords), ctx);
}

/**
 * Decodes an OTLP/JSON (application/json) ExportLogsServiceRequest. Pass the text when you have it: 64-bit
 * integers sent as bare JSON numbers are only exact when parsed here (an object parsed elsewhere with
 * JSON.parse has already rounded them; bigint values in it are taken as they are).
 */
export function decodeOtlpLogsJson(text: string | object, ctx: OtlpDecodeContext): OtlpDecodeResult {
  return mapOtlpLogsRequest(readOtlpLogsJson(text, ctx.maxRecords), ctx);
}
