// Generated from schemas/log-batch.avsc by tools/avro-codegen.mjs. Do not edit.
import type { LogRecord } from './log-record';
/** Batch envelope of log records: one Kafka message holds many records of ONE stream key, in order. Sextant's stages write logs this way on ingest.logs and logs (subject <topic>-io.sextant.logs.LogBatch), bounded in records and bytes; a record's identity is (topic, partition, offset, index in records). Third-party producers may still publish single LogRecords on ingest.logs (subject <topic>-value). */
export interface LogBatch {
  /** The records, all with the same stream key as the message key, in the order they were received. */
  records: LogRecord[];
}
/** The Avro schema of schemas/log-batch.avsc, as registered for its topics. */
export const LOG_BATCH_SCHEMA = {
  "type": "record",
  "name": "LogBatch",
  "namespace": "io.sextant.logs",
  "doc": "Batch envelope of log records: one Kafka message holds many records of ONE stream key, in order. Sextant's stages write logs this way on ingest.logs and logs (subject <topic>-io.sextant.logs.LogBatch), bounded in records and bytes; a record's identity is (topic, partition, offset, index in records). Third-party producers may still publish single LogRecords on ingest.logs (subject <topic>-value).",
  "fields": [
    {
      "name": "records",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "LogRecord",
          "namespace": "io.sextant.logs",
          "doc": "One log record. Value schema of the ingest.logs topic (as collected) and of the logs topic (after parsing and enrichment). Mirrors the OpenTelemetry log data model; attribute values are flattened to strings as in the OpenTelemetry ClickHouse schema.",
          "fields": [
            {
              "name": "tenant",
              "type": "string",
              "doc": "Tenant taken from the ingest credential."
            },
            {
              "name": "timeUnixNano",
              "type": "long",
              "doc": "Event time in nanoseconds since the Unix epoch; 0 when the source gave none."
            },
            {
              "name": "observedTimeUnixNano",
              "type": "long",
              "doc": "When the pipeline (or the collecting agent) first saw the record, nanoseconds since the Unix epoch."
            },
            {
              "name": "severityNumber",
              "type": "int",
              "default": 0,
              "doc": "OpenTelemetry severity number 0-24 (0 = unspecified)."
            },
            {
              "name": "severityText",
              "type": "string",
              "default": "",
              "doc": "Severity as the source spelled it (INFO, warn, ...)."
            },
            {
              "name": "body",
              "type": "string",
              "default": "",
              "doc": "Body as text. Structured bodies are JSON-encoded and flagged body_json."
            },
            {
              "name": "attributes",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Log attributes; non-string values are JSON-encoded."
            },
            {
              "name": "resource",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Resource attributes of the emitting entity."
            },
            {
              "name": "scopeName",
              "type": "string",
              "default": "",
              "doc": "Instrumentation scope name."
            },
            {
              "name": "scopeVersion",
              "type": "string",
              "default": "",
              "doc": "Instrumentation scope version."
            },
            {
              "name": "traceId",
              "type": "string",
              "default": "",
              "doc": "Trace id as 32 lowercase hex digits, empty when absent."
            },
            {
              "name": "spanId",
              "type": "string",
              "default": "",
              "doc": "Span id as 16 lowercase hex digits, empty when absent."
            },
            {
              "name": "traceFlags",
              "type": "int",
              "default": 0,
              "doc": "W3C trace flags."
            },
            {
              "name": "serviceName",
              "type": "string",
              "default": "",
              "doc": "service.name of the resource, or what enrichment derived."
            },
            {
              "name": "source",
              "type": "string",
              "default": "",
              "doc": "How the record entered: otlp, loki, es-bulk, syslog, agent, kafka-json, ..."
            },
            {
              "name": "stream",
              "type": "string",
              "default": "",
              "doc": "stdout or stderr for container logs, empty otherwise."
            },
            {
              "name": "k8s",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "K8sRef",
                  "doc": "Where in Kubernetes the record came from.",
                  "fields": [
                    {
                      "name": "namespace",
                      "type": "string",
                      "default": "",
                      "doc": "Namespace (k8s.namespace.name)."
                    },
                    {
                      "name": "pod",
                      "type": "string",
                      "default": "",
                      "doc": "Pod name (k8s.pod.name)."
                    },
                    {
                      "name": "podUid",
                      "type": "string",
                      "default": "",
                      "doc": "Pod UID (k8s.pod.uid); tells a recreated pod from its namesake."
                    },
                    {
                      "name": "container",
                      "type": "string",
                      "default": "",
                      "doc": "Container name (k8s.container.name)."
                    },
                    {
                      "name": "node",
                      "type": "string",
                      "default": "",
                      "doc": "Node the pod runs on (k8s.node.name)."
                    },
                    {
                      "name": "labels",
                      "type": {
                        "type": "map",
                        "values": "string"
                      },
                      "default": {},
                      "doc": "Pod labels as enrichment found them."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Kubernetes origin, null when unknown."
            },
            {
              "name": "parseFlags",
              "type": {
                "type": "array",
                "items": "string"
              },
              "default": [],
              "doc": "What parsing did or could not do: json, logfmt, plain, body_json, multiline, truncated, redacted, parse_error, ..."
            }
          ]
        }
      },
      "doc": "The records, all with the same stream key as the message key, in the order they were received."
    }
  ]
} as const;
