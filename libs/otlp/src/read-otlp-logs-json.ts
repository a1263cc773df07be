/**
 * Reads an OTLP/JSON ExportLogsServiceRequest into the encoding-neutral request model, following the OTLP/JSON
 * rules: lowerCamelCase keys (the original snake_case names are accepted too, as proto3 JSON parsers do),
 * trace and span ids as hex (not base64), enums as integers or names, 64-bit integers as decimal strings or
 * numbers (converted exactly), bytes as base64, null meaning "not set", unknown keys ignored. A value of the
 * wrong JSON type anywhere is a malformed request (OtlpDecodeError naming the path); an id that is not hex or
 * an unknown severity name rejects only its record.
 */
import { OtlpTooManyRecordsError } from './otlp-decode.error';
import type { OtlpLogRecordData, OtlpLogsRequestData, OtlpRecordLocation, OtlpRejectedRecord } from './otlp-logs.model';
import {
  asArray,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  readAnyValue,
  readEnum,
  readHexId,
  readKeyValues,
  readOtlpJsonRoot,
} from './read-otlp-json-values';
import { SEVERITY_NUMBER_BY_NAME } from './severity-number';

/** Decodes OTLP/JSON given as text, as UTF-8 bytes, or as an already parsed value (whose big numbers may then
 * be inexact). */
export function readOtlpLogsJson(input: string | object, maxRecords?: number): OtlpLogsRequestData {
  const request = readOtlpJsonRoot(input);
  const resourceLogs = asArray(field(request, 'resourceLogs', 'resource_logs'), 'resourceLogs') ?? [];
  const shaped = resourceLogs.map((rl, r) => {
    const path = `resourceLogs[${r}]`;
    const obj = asObject(rl, path) ?? {};
    const resource = asObject(obj['resource'], `${path}.resource`);
    const scopeLogs = (asArray(field(obj, 'scopeLogs', 'scope_logs'), `${path}.scopeLogs`) ?? []).map((sl, s) => {
      const slPath = `${path}.scopeLogs[${s}]`;
      const slObj = asObject(sl, slPath) ?? {};
      const records = asArray(field(slObj, 'logRecords', 'log_records'), `${slPath}.logRecords`) ?? [];
      return { slPath, slObj, records };
    });
    return { path, resource, scopeLogs };
  });
  if (maxRecords !== undefined) {
    let count = 0;
    for (const rl of shaped) for (const sl of rl.scopeLogs) count += sl.records.length;
    if (count > maxRecords) throw new OtlpTooManyRecordsError(count, maxRecords);
  }
  return {
    resourceLogs: shaped.map((rl, resourceIndex) => ({
      resource: readKeyValues(rl.resource && rl.resource['attributes'], `${rl.path}.resource.attributes`, 0),
      scopeLogs: rl.scopeLogs.map((sl, scopeIndex) => {
        const scope = asObject(sl.slObj['scope'], `${sl.slPath}.scope`) ?? {};
        return {
          scopeName: asString(scope['name'], `${sl.slPath}.scope.name`),
          scopeVersion: asString(scope['version'], `${sl.slPath}.scope.version`),
          records: sl.records.map((lr, recordIndex) =>
            readLogRecord(lr, { resourceIndex, scopeIndex, recordIndex }, `${sl.slPath}.logRecords[${recordIndex}]`),
          ),
        };
      }),
    })),
  };
}

function readLogRecord(
  value: unknown,
  location: OtlpRecordLocation,
  path: string,
): OtlpLogRecordData | OtlpRejectedRecord {
  const lr = asObject(value, path) ?? {};
  const reject = (reason: string): OtlpRejectedRecord => ({ kind: 'rejected', location, reason });
  const severity = readEnum(field(lr, 'severityNumber', 'severity_number'), `${path}.severityNumber`, SEVERITY_NUMBER_BY_NAME, 'severity');
  if (typeof severity !== 'number') return reject(severity.unknown);
  const traceId = readHexId(field(lr, 'traceId', 'trace_id'), `${path}.traceId`);
  if (typeof traceId === 'string') return reject(traceId);
  const spanId = readHexId(field(lr, 'spanId', 'span_id'), `${path}.spanId`);
  if (typeof spanId === 'string') return reject(spanId);
  const body = lr['body'];
  return {
    kind: 'record',
    location,
    timeUnixNano: asUint64(field(lr, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    observedTimeUnixNano: asUint64(
      field(lr, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      `${path}.observedTimeUnixNano`,
    ),
    severityNumber: severity,
    severityText: asString(field(lr, 'severityText', 'severity_text'), `${path}.severityText`),
    body: body === undefined || body === null ? { kind: 'empty' } : readAnyValue(body, `${path}.body`, 0),
    attributes: readKeyValues(lr['attributes'], `${path}.attributes`, 0),
    flags: asUint32(lr['flags'], `${path}.flags`),
    traceId: traceId.hex,
    spanId: spanId.hex,
    eventName: asString(field(lr, 'eventName', 'event_name'), `${path}.eventName`),
  };
}
