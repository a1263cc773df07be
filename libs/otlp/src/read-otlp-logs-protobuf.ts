/**
 * Reads a binary (application/x-protobuf) ExportLogsServiceRequest into the encoding-neutral request model.
 * protobufjs does the wire decoding against the official schema; this module turns its message objects
 * (Long for 64-bit fields, a oneof getter for AnyValue) into exact bigints and tagged values. Undecodable bytes
 * throw OtlpDecodeError; the record count is checked against the limit before any record is converted.
 */
import { otlpProtoTypes } from './otlp-proto-root';
import { OtlpTooManyRecordsError } from './otlp-decode.error';
import type {
  OtlpLogRecordData,
  OtlpLogsRequestData,
  OtlpResourceLogsData,
  OtlpScopeLogsData,
} from './otlp-logs.model';
import {
  decodeOtlpProtobuf,
  EMPTY_BYTES,
  readAnyValue,
  readKeyValues,
  uint64,
  type PbAnyValue,
  type PbInt64,
  type PbKeyValue,
  type PbScope,
} from './read-otlp-protobuf-values';

interface PbLogRecord {
  readonly timeUnixNano?: PbInt64;
  readonly observedTimeUnixNano?: PbInt64;
  readonly severityNumber?: number;
  readonly severityText?: string;
  readonly body?: PbAnyValue | null;
  readonly attributes?: readonly PbKeyValue[];
  readonly flags?: number;
  readonly traceId?: Uint8Array;
  readonly spanId?: Uint8Array;
  readonly eventName?: string;
}

interface PbRequest {
  readonly resourceLogs?: readonly {
    readonly resource?: { readonly attributes?: readonly PbKeyValue[] } | null;
    readonly scopeLogs?: readonly {
      readonly scope?: PbScope | null;
      readonly logRecords?: readonly PbLogRecord[];
    }[];
  }[];
}

/** Decodes the bytes of an ExportLogsServiceRequest. */
export function readOtlpLogsProtobuf(buf: Uint8Array, maxRecords?: number): OtlpLogsRequestData {
  const request = decodeOtlpProtobuf<PbRequest>(otlpProtoTypes().exportLogsServiceRequest, buf);
  const resourceLogs = request.resourceLogs ?? [];
  if (maxRecords !== undefined) {
    let count = 0;
    for (const rl of resourceLogs) for (const sl of rl.scopeLogs ?? []) count += (sl.logRecords ?? []).length;
    if (count > maxRecords) throw new OtlpTooManyRecordsError(count, maxRecords);
  }
  return {
    resourceLogs: resourceLogs.map(
      (rl, resourceIndex): OtlpResourceLogsData => ({
        resource: readKeyValues(rl.resource?.attributes, 0),
        scopeLogs: (rl.scopeLogs ?? []).map(
          (sl, scopeIndex): OtlpScopeLogsData => ({
            scopeName: sl.scope?.name ?? '',
            scopeVersion: sl.scope?.version ?? '',
            records: (sl.logRecords ?? []).map((lr, recordIndex) =>
              readLogRecord(lr, { resourceIndex, scopeIndex, recordIndex }),
            ),
          }),
        ),
      }),
    ),
  };
}

function readLogRecord(lr: PbLogRecord, location: OtlpLogRecordData['location']): OtlpLogRecordData {
  return {
    kind: 'record',
    location,
    timeUnixNano: uint64(lr.timeUnixNano),
    observedTimeUnixNano: uint64(lr.observedTimeUnixNano),
    severityNumber: lr.severityNumber ?? 0,
    severityText: lr.severityText ?? '',
    body: lr.body ? readAnyValue(lr.body, 0) : { kind: 'empty' },
    attributes: readKeyValues(lr.attributes, 0),
    flags: (lr.flags ?? 0) >>> 0,
    traceId: lr.traceId ?? EMPTY_BYTES,
    spanId: lr.spanId ?? EMPTY_BYTES,
    eventName: lr.eventName ?? '',
  };
}
