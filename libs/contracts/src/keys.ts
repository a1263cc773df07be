// Kafka record keys of Sextant's topics. A key decides the partition, and so which replica of a stateful stage
// sees a record: logs of one container stream must meet in one parser (multiline buffers), spans of one trace
// in one assembler, samples of one series in one aggregator window. Keys are therefore pure functions of the
// record's identity, stable across processes and releases (changing one re-partitions live state), and
// human-readable so that `kcat -K` shows where a record went. Components are joined with "/" after escaping
// "%" and "/", so two different identities can never produce the same key.
import type { LogRecord, MetricSample } from './generated';

const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const UINT64_MASK = 0xffffffffffffffffn;
/** Prometheus' model.SeparatorByte: cannot occur in UTF-8, so name/value boundaries are unambiguous. */
const SEPARATOR_BYTE = 0xff;

function escapePart(part: string): string {
  return part.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function joinParts(parts: readonly string[]): string {
  return parts.map(escapePart).join('/');
}

/**
 * Key of a log record's stream: `tenant/namespace/pod/container` for Kubernetes records, otherwise
 * `tenant/serviceName`. The stream (stdout/stderr) is left out on purpose: both streams of a container share a
 * partition, and the parser keeps them apart by the record's stream field.
 */
export function logStreamKey(record: Pick<LogRecord, 'tenant' | 'serviceName' | 'k8s'>): string {
  const k8s = record.k8s;
  if (k8s && (k8s.namespace !== '' || k8s.pod !== '')) {
    return joinParts([record.tenant, k8s.namespace, k8s.pod, k8s.container]);
  }
  return joinParts([record.tenant, record.serviceName]);
}

/**
 * Key of a span or trace: the trace id in lowercase, with 64-bit (16 hex digit) ids left-padded to 128 bits so
 * that a Zipkin trace reported with both widths lands in one partition.
 */
export function traceKey(traceId: string): string {
  const id = traceId.trim().toLowerCase();
  return /^[0-9a-f]{16}$/.test(id) ? id.padStart(32, '0') : id;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Quotes names outside Prometheus' classic charset, as Prometheus 3 prints UTF-8 names, so keys stay parseable. */
function renderName(name: string): string {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name) ? name : `"${escapeLabelValue(name)}"`;
}

/**
 * Key of a metric series: `tenant/name{label="value",...}` in Prometheus text notation with label names sorted,
 * so the same series gives the same key whatever order its labels arrived in. A `__name__` label is ignored
 * (remote write carries the name as a label, OTLP does not; both must give one series).
 */
export function seriesKey(tenant: string, name: string, labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels)
    .filter((label) => label !== '__name__')
    .sort(compareStrings);
  const body = names.map((label) => `${renderName(label)}="${escapeLabelValue(labels[label])}"`).join(',');
  return `${escapePart(tenant)}/${renderName(name)}{${body}}`;
}

/**
 * The series key of a sample on ingest.metrics: its tenant, name and attributes, plus the Prometheus `job` and
 * `instance` labels that OpenTelemetry's Prometheus compatibility derives from the resource (`job` from
 * `service.namespace`/`service.name`, `instance` from `service.instance.id`) unless the attributes carry them
 * already (Prometheus sources do). So the same metric of two services is two series, and a scraped or
 * remote-written series and its OTLP twin agree.
 */
export function metricSeriesKey(sample: Pick<MetricSample, 'tenant' | 'name' | 'attributes' | 'resource'>): string {
  const { attributes, resource } = sample;
  const service = resource['service.name'];
  const namespace = resource['service.namespace'];
  const instance = resource['service.instance.id'];
  if ((service === undefined || 'job' in attributes) && (instance === undefined || 'instance' in attributes)) return seriesKey(sample.tenant, sample.name, attributes);
  const labels: Record<string, string> = { ...attributes };
  if (service !== undefined && !('job' in attributes)) labels['job'] = namespace ? `${namespace}/${service}` : service;
  if (instance !== undefined && !('instance' in attributes)) labels['instance'] = instance;
  return seriesKey(sample.tenant, sample.name, labels);
}

function fnv1aAdd(hash: bigint, bytes: Uint8Array): bigint {
  let h = hash;
  for (const byte of bytes) {
    h = ((h ^ BigInt(byte)) * FNV64_PRIME) & UINT64_MASK;
  }
  return h;
}

/**
 * Alertmanager's fingerprint of a label set (prometheus/common `model.LabelSet.Fingerprint()`): 64-bit FNV-1a
 * over the label names in byte order, each name and each value followed by the 0xff separator byte; rendered
 * as 16 lowercase hex digits like `Fingerprint.String()`. Equal label sets, in any order, give equal
 * fingerprints, and they match what Alertmanager shows for the same alert.
 */
export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  const encoded = Object.keys(labels).map((name) => ({ name: Buffer.from(name, 'utf8'), value: Buffer.from(labels[name], 'utf8') }));
  // Go sorts strings by their bytes; UTF-16 order differs from it for characters outside the BMP.
  encoded.sort((a, b) => Buffer.compare(a.name, b.name));
  const separator = Uint8Array.of(SEPARATOR_BYTE);
  let hash = FNV64_OFFSET_BASIS;
  for (const { name, value } of encoded) {
    hash = fnv1aAdd(hash, name);
    hash = fnv1aAdd(hash, separator);
    hash = fnv1aAdd(hash, value);
    hash = fnv1aAdd(hash, separator);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * Key of the alerts topic: `tenant/fingerprint`. The fingerprint alone is the Alertmanager identity of an alert
 * within one tenant; the tenant prefix keeps two tenants' identical label sets apart.
 */
export function alertKey(tenant: string, fingerprint: string): string {
  return joinParts([tenant, fingerprint]);
}
