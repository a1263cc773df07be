// Generated from schemas/log-record.avsc by tools/avro-codegen.mjs. Do not edit.
/** Kubernetes origin of a log record. */
export interface K8sRef {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  node: string;
  labels: Record<string, string>;
}
/** One log record (value of ingest.logs and logs). Avro longs are bigint. */
export interface LogRecord {
  tenant: string;
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
  scopeName: string;
  scopeVersion: string;
  traceId: string;
  spanId: string;
  traceFlags: number;
  serviceName: string;
  source: string;
  stream: string;
  k8s: K8sRef | null;
  parseFlags: string[];
}
