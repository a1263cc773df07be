/**
 * Maps a decoded OTLP logs request onto Sextant LogRecords (the Avro contract of ingest.logs): resource and
 * scope are copied onto every record, AnyValues become strings, ids become lowercase hex, Kubernetes fields
 * are lifted from the resource attributes. It also applies the checks a record can fail on its own (trace id
 * length, span id length, severity range), which reject that record only, as OTLP partial success allows.
 */
import type { K8sRef, LogRecord } from '@sextant/contracts';
import type { OtlpDecodeContext, OtlpDecodeResult } from './decode-otlp-logs';
import { encodeAnyValueJson, formatAttributeValue } from './format-any-value';
import {
  formatOtlpRecordLocation,
  type OtlpKeyValue,
  type OtlpLogRecordData,
  type OtlpLogsRequestData,
} from './otlp-logs.model';
import { MAX_SEVERITY_NUMBER } from './severity-number';

/** At most this many rejection reasons are returned; `rejected` still counts them all. */
export const MAX_REPORTED_ERRORS = 20;

/** Value of LogRecord.source for everything that arrives as OTLP. */
export const OTLP_SOURCE = 'otlp';

/** Parse flag set when the body was not an OTLP string and was JSON-encoded. */
export const BODY_JSON_FLAG = 'body_json';

/** Attribute that receives the OTLP `event_name` field (LogRecord has no column of its own for it). */
export const EVENT_NAME_ATTRIBUTE = 'event.name';

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const TRACE_FLAGS_MASK = 0xff;
const K8S_POD_LABEL_PREFIX = 'k8s.pod.label.';

export function mapOtlpLogsRequest(data: OtlpLogsRequestData, ctx: OtlpDecodeContext): OtlpDecodeResult {
  const records: LogRecord[] = [];
  const errors: string[] = [];
  let rejected = 0;
  const reject = (reason: string): void => {
    rejected++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(reason);
  };
  for (const rl of data.resourceLogs) {
    const resource = toStringMap(rl.resource);
    const serviceName = resource['service.name'] ?? '';
    for (const sl of rl.scopeLogs) {
      for (const lr of sl.records) {
        if (lr.kind === 'rejected') {
          reject(lr.reason);
          continue;
        }
        const problem = checkRecord(lr);
        if (problem !== undefined) {
          reject(`${formatOtlpRecordLocation(lr.location)}: ${problem}`);
          continue;
        }
        records.push(mapRecord(lr, ctx, resource, serviceName, sl.scopeName, sl.scopeVersion));
      }
    }
  }
  return { records, rejected, errors };
}

/** Why the record cannot be accepted, or undefined when it can. */
function checkRecord(lr: OtlpLogRecordData): string | undefined {
  if (lr.traceId.length !== 0 && lr.traceId.length !== TRACE_ID_BYTES) {
    return `traceId has ${lr.traceId.length} bytes, expected ${TRACE_ID_BYTES} (32 hex digits)`;
  }
  if (lr.spanId.length !== 0 && lr.spanId.length !== SPAN_ID_BYTES) {
    return `spanId has ${lr.spanId.length} bytes, expected ${SPAN_ID_BYTES} (16 hex digits)`;
  }
  if (!Number.isInteger(lr.severityNumber) || lr.severityNumber < 0 || lr.severityNumber > MAX_SEVERITY_NUMBER) {
    return `severityNumber ${lr.severityNumber} is outside 0-${MAX_SEVERITY_NUMBER}`;
  }
  return undefined;
}

function mapRecord(
  lr: OtlpLogRecordData,
  ctx: OtlpDecodeContext,
  resource: Record<string, string>,
  serviceName: string,
  scopeName: string,
  scopeVersion: string,
): LogRecord {
  const attributes = toStringMap(lr.attributes);
  if (lr.eventName !== '' && !Object.hasOwn(attributes, EVENT_NAME_ATTRIBUTE)) {
    attributes[EVENT_NAME_ATTRIBUTE] = lr.eventName;
  }
  const bodyIsString = lr.body.kind === 'string' || lr.body.kind === 'empty';
  return {
    tenant: ctx.tenant,
    // 0 stays 0: "unknown", the sink falls back to the observed time.
    timeUnixNano: lr.timeUnixNano,
    observedTimeUnixNano: lr.observedTimeUnixNano !== 0n ? lr.observedTimeUnixNano : ctx.observedTimeUnixNano,
    severityNumber: lr.severityNumber,
    severityText: lr.severityText,
    body: lr.body.kind === 'string' ? lr.body.value : bodyIsString ? '' : encodeAnyValueJson(lr.body),
    attributes,
    // A copy per record: records are handed on separately and must not share mutable maps.
    resource: { ...resource },
    scopeName,
    scopeVersion,
    traceId: idToHex(lr.traceId),
    spanId: idToHex(lr.spanId),
    traceFlags: lr.flags & TRACE_FLAGS_MASK,
    serviceName,
    source: OTLP_SOURCE,
    stream: '',
    k8s: k8sFromResource(resource),
    parseFlags: bodyIsString ? [] : [BODY_JSON_FLAG],
  };
}

/** Lowercase hex, or '' for an absent or all-zero id (the spec calls an all-zero id invalid, i.e. unset). */
function idToHex(id: Uint8Array): string {
  if (id.every((b) => b === 0)) return '';
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}

/** Attributes as a string map; a repeated key keeps its last value (Object.fromEntries also keeps a
 * `__proto__` key as an ordinary own property). */
function toStringMap(kvs: readonly OtlpKeyValue[]): Record<string, string> {
  return Object.fromEntries(kvs.map((kv) => [kv.key, formatAttributeValue(kv.value)]));
}

/** Kubernetes origin from the k8s.* resource semantic conventions, null when the resource names none. */
function k8sFromResource(resource: Readonly<Record<string, string>>): K8sRef | null {
  const labels: Record<string, string> = {};
  let hasLabels = false;
  for (const key of Object.keys(resource)) {
    if (key.startsWith(K8S_POD_LABEL_PREFIX) && key.length > K8S_POD_LABEL_PREFIX.length) {
      Object.defineProperty(labels, key.slice(K8S_POD_LABEL_PREFIX.length), {
        value: resource[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
      hasLabels = true;
    }
  }
  const namespace = resource['k8s.namespace.name'];
  const pod = resource['k8s.pod.name'];
  const podUid = resource['k8s.pod.uid'];
  const container = resource['k8s.container.name'];
  const node = resource['k8s.node.name'];
  if (!hasLabels && [namespace, pod, podUid, container, node].every((v) => v === undefined)) return null;
  return {
    namespace: namespace ?? '',
    pod: pod ?? '',
    podUid: podUid ?? '',
    container: container ?? '',
    node: node ?? '',
    labels,
  };
}
