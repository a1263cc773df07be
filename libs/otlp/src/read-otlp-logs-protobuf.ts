/**
 * Reads a binary (application/x-protobuf) ExportLogsServiceRequest into the encoding-neutral request model.
 * protobufjs does the wire decoding against the official schema; this module turns its message objects
 * (Long for 64-bit fields, a oneof getter for AnyValue) into exact bigints and tagged values. Undecodable bytes
 * throw OtlpDecodeError; the record count is checked against the limit before any record is converted.
 */
import { OtlpDecodeError, OtlpTooManyRecordsError } from './otlp-decode.error';
import {
  MAX_ANY_VALUE_DEPTH,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpLogRecordData,
  type OtlpLogsRequestData,
  type OtlpResourceLogsData,
  type OtlpScopeLogsData,
} from './otlp-logs.model';
import { otlpProtoTypes } from './otlp-proto-root';

/** A 64-bit integer as protobufjs hands it out: a Long when the `long` package is present, else a number. */
type PbInt64 = { readonly low: number; readonly high: number } | number;

interface PbAnyValue {
  /** Name of the oneof member that is set (protobufjs virtual oneof property), undefined when none is. */
  readonly value?: string;
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: PbInt64;
  readonly doubleValue?: number;
  readonly bytesValue?: Uint8Array;
  readonly arrayValue?: { readonly values?: readonly PbAnyValue[] } | null;
  readonly kvlistValue?: { readonly values?: readonly PbKeyValue[] } | null;
}

interface PbKeyValue {
  readonly key?: string;
  readonly value?: PbAnyValue | null;
}

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
      readonly scope?: { readonly name?: string; readonly version?: string } | null;
      readonly logRecords?: readonly PbLogRecord[];
    }[];
  }[];
}

const EMPTY_BYTES = new Uint8Array(0);

/** Decodes the bytes of an ExportLogsServiceRequest. */
export function readOtlpLogsProtobuf(buf: Uint8Array, maxRecords?: number): OtlpLogsRequestData {
  let request: PbRequest;
  try {
    request = otlpProtoTypes().exportLogsServiceRequest.decode(buf) as unknown as PbRequest;
  } catch (err) {
    throw new OtlpDecodeError(`invalid OTLP protobuf ExportLogsServiceRequest: ${describeError(err)}`);
  }
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

function readKeyValues(kvs: readonly PbKeyValue[] | undefined, depth: number): OtlpKeyValue[] {
  if (!kvs) return [];
  return kvs.map((kv) => ({ key: kv.key ?? '', value: kv.value ? readAnyValue(kv.value, depth) : { kind: 'empty' } }));
}

function readAnyValue(v: PbAnyValue, depth: number): OtlpAnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  switch (v.value) {
    case 'stringValue':
      return { kind: 'string', value: v.stringValue ?? '' };
    case 'boolValue':
      return { kind: 'bool', value: v.boolValue === true };
    case 'intValue':
      return { kind: 'int', value: BigInt.asIntN(64, uint64(v.intValue)) };
    case 'doubleValue':
      return { kind: 'double', value: v.doubleValue ?? 0 };
    case 'bytesValue':
      return { kind: 'bytes', value: v.bytesValue ?? EMPTY_BYTES };
    case 'arrayValue':
      return { kind: 'array', values: (v.arrayValue?.values ?? []).map((x) => readAnyValue(x, depth + 1)) };
    case 'kvlistValue':
      return { kind: 'kvlist', values: readKeyValues(v.kvlistValue?.values, depth + 1) };
    default:
      return { kind: 'empty' };
  }
}

/** The 64 bits as an unsigned bigint (callers reinterpret as signed where the field is int64). */
function uint64(v: PbInt64 | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return BigInt.asUintN(64, BigInt(v));
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
