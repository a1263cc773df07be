// Generated from schemas/span.avsc by tools/avro-codegen.mjs. Do not edit.
/** OpenTelemetry span kind. */
export type SpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
/** OpenTelemetry span status code. */
export type SpanStatusCode = 'UNSET' | 'OK' | 'ERROR';
/** A timed event within a span (exceptions are events named exception). */
export interface SpanEvent {
  /** When the event happened, nanoseconds since the Unix epoch. */
  timeUnixNano: bigint;
  /** Event name. */
  name: string;
  /** Event attributes; non-string values are JSON-encoded. */
  attributes: Record<string, string>;
  /** Attributes the SDK dropped from this event. */
  droppedAttributesCount: number;
}
/** A link to a span of this or another trace (batch consumers, fan-in). */
export interface SpanLink {
  /** Linked trace id as 32 lowercase hex digits. */
  traceId: string;
  /** Linked span id as 16 lowercase hex digits. */
  spanId: string;
  /** W3C tracestate of the linked span. */
  traceState: string;
  /** Link attributes; non-string values are JSON-encoded. */
  attributes: Record<string, string>;
  /** Attributes the SDK dropped from this link. */
  droppedAttributesCount: number;
  /** OpenTelemetry span flags of the link (W3C trace flags in bits 0-7). */
  flags: number;
}
/** One span. Value schema of the ingest.spans topic (as collected) and of the spans topic (spans of the traces the assembler kept). Mirrors the OpenTelemetry span data model; attribute values are flattened to strings as in the OpenTelemetry ClickHouse schema. */
export interface Span {
  /** Tenant taken from the ingest credential. */
  tenant: string;
  /** Trace id as 32 lowercase hex digits (64-bit Zipkin ids are left-padded with zeros). */
  traceId: string;
  /** Span id as 16 lowercase hex digits. */
  spanId: string;
  /** Parent span id as 16 lowercase hex digits, empty for a root span. */
  parentSpanId: string;
  /** W3C tracestate header value. */
  traceState: string;
  /** Span name (operation). */
  name: string;
  /** Role of the span in the call: the service graph pairs CLIENT with SERVER and PRODUCER with CONSUMER spans. */
  kind: SpanKind;
  /** Start, nanoseconds since the Unix epoch. */
  startTimeUnixNano: bigint;
  /** End, nanoseconds since the Unix epoch. */
  endTimeUnixNano: bigint;
  /** Span status; ERROR counts as a failed request in span metrics and the service graph. */
  statusCode: SpanStatusCode;
  /** Status description, set with ERROR. */
  statusMessage: string;
  /** Span attributes; non-string values are JSON-encoded. */
  attributes: Record<string, string>;
  /** Resource attributes of the emitting entity. */
  resource: Record<string, string>;
  /** service.name of the resource (Zipkin: localEndpoint.serviceName). */
  serviceName: string;
  /** Instrumentation scope name. */
  scopeName: string;
  /** Instrumentation scope version. */
  scopeVersion: string;
  /** Span events, in time order. */
  events: SpanEvent[];
  /** Span links. */
  links: SpanLink[];
  /** OpenTelemetry span flags: W3C trace flags in bits 0-7 (bit 0 sampled), bits 8-9 say whether the parent is remote. */
  flags: number;
  /** Attributes the SDK dropped from the span. */
  droppedAttributesCount: number;
  /** Events the SDK dropped. */
  droppedEventsCount: number;
  /** Links the SDK dropped. */
  droppedLinksCount: number;
  /** How the span entered: otlp, zipkin, kafka-otlp, kafka-avro, ... */
  source: string;
}
/** The Avro schema of schemas/span.avsc, as registered for its topics. */
export const SPAN_SCHEMA = {
  "type": "record",
  "name": "Span",
  "namespace": "io.sextant.traces",
  "doc": "One span. Value schema of the ingest.spans topic (as collected) and of the spans topic (spans of the traces the assembler kept). Mirrors the OpenTelemetry span data model; attribute values are flattened to strings as in the OpenTelemetry ClickHouse schema.",
  "fields": [
    {
      "name": "tenant",
      "type": "string",
      "doc": "Tenant taken from the ingest credential."
    },
    {
      "name": "traceId",
      "type": "string",
      "doc": "Trace id as 32 lowercase hex digits (64-bit Zipkin ids are left-padded with zeros)."
    },
    {
      "name": "spanId",
      "type": "string",
      "doc": "Span id as 16 lowercase hex digits."
    },
    {
      "name": "parentSpanId",
      "type": "string",
      "default": "",
      "doc": "Parent span id as 16 lowercase hex digits, empty for a root span."
    },
    {
      "name": "traceState",
      "type": "string",
      "default": "",
      "doc": "W3C tracestate header value."
    },
    {
      "name": "name",
      "type": "string",
      "doc": "Span name (operation)."
    },
    {
      "name": "kind",
      "type": {
        "type": "enum",
        "name": "SpanKind",
        "doc": "OpenTelemetry span kind.",
        "symbols": [
          "UNSPECIFIED",
          "INTERNAL",
          "SERVER",
          "CLIENT",
          "PRODUCER",
          "CONSUMER"
        ],
        "default": "UNSPECIFIED"
      },
      "default": "UNSPECIFIED",
      "doc": "Role of the span in the call: the service graph pairs CLIENT with SERVER and PRODUCER with CONSUMER spans."
    },
    {
      "name": "startTimeUnixNano",
      "type": "long",
      "doc": "Start, nanoseconds since the Unix epoch."
    },
    {
      "name": "endTimeUnixNano",
      "type": "long",
      "doc": "End, nanoseconds since the Unix epoch."
    },
    {
      "name": "statusCode",
      "type": {
        "type": "enum",
        "name": "SpanStatusCode",
        "doc": "OpenTelemetry span status code.",
        "symbols": [
          "UNSET",
          "OK",
          "ERROR"
        ],
        "default": "UNSET"
      },
      "default": "UNSET",
      "doc": "Span status; ERROR counts as a failed request in span metrics and the service graph."
    },
    {
      "name": "statusMessage",
      "type": "string",
      "default": "",
      "doc": "Status description, set with ERROR."
    },
    {
      "name": "attributes",
      "type": {
        "type": "map",
        "values": "string"
      },
      "default": {},
      "doc": "Span attributes; non-string values are JSON-encoded."
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
      "name": "serviceName",
      "type": "string",
      "default": "",
      "doc": "service.name of the resource (Zipkin: localEndpoint.serviceName)."
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
      "name": "events",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "SpanEvent",
          "doc": "A timed event within a span (exceptions are events named exception).",
          "fields": [
            {
              "name": "timeUnixNano",
              "type": "long",
              "doc": "When the event happened, nanoseconds since the Unix epoch."
            },
            {
              "name": "name",
              "type": "string",
              "doc": "Event name."
            },
            {
              "name": "attributes",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Event attributes; non-string values are JSON-encoded."
            },
            {
              "name": "droppedAttributesCount",
              "type": "int",
              "default": 0,
              "doc": "Attributes the SDK dropped from this event."
            }
          ]
        }
      },
      "default": [],
      "doc": "Span events, in time order."
    },
    {
      "name": "links",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "SpanLink",
          "doc": "A link to a span of this or another trace (batch consumers, fan-in).",
          "fields": [
            {
              "name": "traceId",
              "type": "string",
              "doc": "Linked trace id as 32 lowercase hex digits."
            },
            {
              "name": "spanId",
              "type": "string",
              "doc": "Linked span id as 16 lowercase hex digits."
            },
            {
              "name": "traceState",
              "type": "string",
              "default": "",
              "doc": "W3C tracestate of the linked span."
            },
            {
              "name": "attributes",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Link attributes; non-string values are JSON-encoded."
            },
            {
              "name": "droppedAttributesCount",
              "type": "int",
              "default": 0,
              "doc": "Attributes the SDK dropped from this link."
            },
            {
              "name": "flags",
              "type": "int",
              "default": 0,
              "doc": "OpenTelemetry span flags of the link (W3C trace flags in bits 0-7)."
            }
          ]
        }
      },
      "default": [],
      "doc": "Span links."
    },
    {
      "name": "flags",
      "type": "int",
      "default": 0,
      "doc": "OpenTelemetry span flags: W3C trace flags in bits 0-7 (bit 0 sampled), bits 8-9 say whether the parent is remote."
    },
    {
      "name": "droppedAttributesCount",
      "type": "int",
      "default": 0,
      "doc": "Attributes the SDK dropped from the span."
    },
    {
      "name": "droppedEventsCount",
      "type": "int",
      "default": 0,
      "doc": "Events the SDK dropped."
    },
    {
      "name": "droppedLinksCount",
      "type": "int",
      "default": 0,
      "doc": "Links the SDK dropped."
    },
    {
      "name": "source",
      "type": "string",
      "default": "",
      "doc": "How the span entered: otlp, zipkin, kafka-otlp, kafka-avro, ..."
    }
  ]
} as const;
