/**
 * Maps a decoded OTLP logs request onto Sextant LogRecords (the Avro contract of ingest.logs): resource and
 * scope go onto every record (the records of one resource share its attribute map and Kubernetes reference,
 * which are frozen: nothing downstream may change one record's copy through another), AnyValues become strings, ids become lowercase hex, Kubernetes fields
 * are lifted from the resource attributes. It also applies the checks a record can fail on its own (trace id
 * length, span id length, severity range), which reject that record only, as OTLP partial success allows.
 */
import { ORIGINAL_TIMESTAMP_ATTRIBUTE, TIMESTAMP_OUT_OF_RANGE_FLAG, type K8sRef, type LogRecord } from '@sextant/contracts';
import type { OtlpDecodeContext, OtlpDecodeResult } from './decode-otlp-logs';
import { encodeAnyValueJson, formatAttributes } from './format-any-value';
import { checkOtlpIds, otlpIdToHex } from './otlp-id';
import { formatOtlpRecordLocation, type OtlpLogRecordData, type OtlpLogsRequestData } from './otlp-logs.model';
import { OtlpRejections } from './otlp-rejections';
import { MAX_SEVERITY_NUMBER } from './severity-number';

/** Value of LogRecord.source for everything that arrives as OTLP. */
export const OTLP_SOURCE = 'otlp';

/** Parse flag set when the body was not an OTLP string and was JSON-encoded. */
export const BODY_JSON_FLAG = 'body_json';

/** Attribute that receives the OTLP `event_name` field (LogRecord has no column of its own for it). */
export const EVENT_NAME_ATTRIBUTE = 'event.name';

const INT64_MAX = (1n << 63n) - 1n;
const TRACE_FLAGS_MASK = 0xff;
const K8S_POD_LABEL_PREFIX = 'k8s.pod.label.';

export function mapOtlpLogsRequest(data: OtlpLogsRequestData, ctx: OtlpDecodeContext): OtlpDecodeResult {
  const records: LogRecord[] = [];
  const rejections = new OtlpRejections();
  for (const rl of data.resourceLogs) {
    const resource = Object.freeze(formatAttributes(rl.resource));
    const k8s = k8sFromResource(resource);
    const shared = { resource, k8s: k8s ? Object.freeze({ ...k8s, labels: Object.freeze(k8s.labels) }) : null, serviceName: resource['service.name'] ?? '' };
    for (const sl of rl.scopeLogs) {
      for (const lr of sl.records) {
        if (lr.kind === 'rejected') {
          rejections.reject(lr.reason);
          continue;
        }
        const problem = checkRecord(lr);
        if (problem !== undefined) {
          rejections.reject(`${formatOtlpRecordLocation(lr.location)}: ${problem}`);
          continue;
        }
        records.push(mapRecord(lr, ctx, shared, sl.scopeName, sl.scopeVersion));
      }
    }
  }
  return { records, rejected: rejections.count, errors: rejections.errors };
}

/** Why the record cannot be accepted, or undefined when it can. */
function checkRecord(lr: OtlpLogRecordData): string | undefined {
  const idProblem = checkOtlpIds(lr.traceId, lr.spanId);
  if (idProblem !== undefined) return idProblem;
  if (!Number.isInteger(lr.severityNumber) || lr.severityNumber < 0 || lr.severityNumber > MAX_SEVERITY_NUMBER) {
    return `severityNumber ${lr.severityNumber} is outside 0-${MAX_SEVERITY_NUMBER}`;
  }
  return undefined;
}

/** What every record of one resource shares (read-only). */
interface SharedResource {
  resource: Readonly<Record<string, string>>;
  k8s: K8sRef | null;
  serviceName: string;
}

function mapRecord(lr: OtlpLogRecordData, ctx: OtlpDecodeContext, shared: SharedResource, scopeName: string, scopeVersion: string): LogRecord {
  const attributes = formatAttributes(lr.attributes);
  if (lr.eventName !== '' && !Object.hasOwn(attributes, EVENT_NAME_ATTRIBUTE)) {
    attributes[EVENT_NAME_ATTRIBUTE] = lr.eventName;
  }
  const bodyIsString = lr.body.kind === 'string' || lr.body.kind === 'empty';
  const parseFlags = bodyIsString ? [] : [BODY_JSON_FLAG];
  // OTLP times are unsigned 64-bit; LogRecord's are signed (nanoseconds up to the year 2262). A later time is
  // kept as text and the record stored as having no time of its own, flagged, rather than refused.
  let timeUnixNano = lr.timeUnixNano;
  if (timeUnixNano > INT64_MAX) {
    attributes[ORIGINAL_TIMESTAMP_ATTRIBUTE] = timeUnixNano.toString();
    parseFlags.push(TIMESTAMP_OUT_OF_RANGE_FLAG);
    timeUnixNano = 0n;
  }
  const observed = lr.observedTimeUnixNano !== 0n && lr.observedTimeUnixNano <= INT64_MAX ? lr.observedTimeUnixNano : ctx.observedTimeUnixNano;
  return {
    tenant: ctx.tenant,
    // 0 stays 0: "unknown", the sink falls back to the observed time.
    timeUnixNano,
    observedTimeUnixNano: observed,
    severityNumber: lr.severityNumber,
    severityText: lr.severityText,
    body: lr.body.kind === 'string' ? lr.body.value : bodyIsString ? '' : encodeAnyValueJson(lr.body),
    attributes,
    resource: shared.resource as Record<string, string>,
    scopeName,
    scopeVersion,
    traceId: otlpIdToHex(lr.traceId),
    spanId: otlpIdToHex(lr.spanId),
    traceFlags: lr.flags & TRACE_FLAGS_MASK,
    serviceName: shared.serviceName,
    source: OTLP_SOURCE,
    stream: '',
    k8s: shared.k8s,
    parseFlags,
  };
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
