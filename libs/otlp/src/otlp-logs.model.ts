/**
 * The decoded shape of an OTLP logs export request, independent of its encoding. The protobuf and the JSON
 * readers both produce it, so that one mapper turns it into LogRecords and the two encodings cannot drift
 * apart. 64-bit integers are bigint (exact), ids are still raw bytes, and a record that could not be read is
 * carried as a rejection with its reason instead of data.
 */

import type { OtlpAnyValue, OtlpId, OtlpKeyValue } from './otlp-common.model';

/** Where a record sits in the request (indices), kept as numbers so no path string is built per record. */
export interface OtlpRecordLocation {
  readonly resourceIndex: number;
  readonly scopeIndex: number;
  readonly recordIndex: number;
}

/** `resourceLogs[0].scopeLogs[1].logRecords[2]`: the record's path in OTLP/JSON spelling, for error messages. */
export function formatOtlpRecordLocation(at: OtlpRecordLocation): string {
  return `resourceLogs[${at.resourceIndex}].scopeLogs[${at.scopeIndex}].logRecords[${at.recordIndex}]`;
}

/** One log record as sent, before validation of its ids and severity. */
export interface OtlpLogRecordData {
  readonly kind: 'record';
  readonly location: OtlpRecordLocation;
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: OtlpAnyValue;
  readonly attributes: readonly OtlpKeyValue[];
  readonly flags: number;
  /** Trace id: raw bytes (protobuf) or lowercase hex (OTLP/JSON, kept as sent); 16 bytes when valid, empty when absent. */
  readonly traceId: OtlpId;
  /** Span id: raw bytes or lowercase hex, as traceId; 8 bytes when valid, empty when absent. */
  readonly spanId: OtlpId;
  readonly eventName: string;
}

/** A record the reader could not take (for example a trace id that is not hex in OTLP/JSON). */
export interface OtlpRejectedRecord {
  readonly kind: 'rejected';
  readonly location: OtlpRecordLocation;
  readonly reason: string;
}

export interface OtlpScopeLogsData {
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly records: readonly (OtlpLogRecordData | OtlpRejectedRecord)[];
}

export interface OtlpResourceLogsData {
  readonly resource: readonly OtlpKeyValue[];
  readonly scopeLogs: readonly OtlpScopeLogsData[];
}

/** A whole ExportLogsServiceRequest. */
export interface OtlpLogsRequestData {
  readonly resourceLogs: readonly OtlpResourceLogsData[];
}
