// Generated from schemas/service-graph-edge.avsc by tools/avro-codegen.mjs. Do not edit.
/** How client and server are connected (the servicegraph connector's connection_type). */
export type ConnectionType = 'DIRECT' | 'MESSAGING_SYSTEM' | 'DATABASE' | 'VIRTUAL_NODE';
/** Latency distribution of the edge's requests in seconds. */
export interface LatencyHistogram {
  /** Upper bounds of the buckets in seconds, ascending, without +Inf. */
  boundsSeconds: number[];
  /** Per-bucket (not cumulative) counts; one more entry than boundsSeconds. */
  bucketCounts: bigint[];
  /** Number of requests measured. */
  count: bigint;
  /** Sum of the latencies in seconds. */
  sumSeconds: number;
}
/** Requests between two services over one time window, derived from paired client/server (or producer/consumer) spans. Value schema of the servicegraph topic. Semantics follow the OpenTelemetry servicegraph connector: request and failed counts, client- and server-side latency per edge, virtual nodes for uninstrumented peers. */
export interface ServiceGraphEdge {
  /** Tenant the spans belong to. */
  tenant: string;
  /** Window start (inclusive), nanoseconds since the Unix epoch. */
  windowStartUnixNano: bigint;
  /** Window end (exclusive), nanoseconds since the Unix epoch. */
  windowEndUnixNano: bigint;
  /** Calling service (or virtual node name). */
  client: string;
  /** Called service (or virtual node name: the peer.service, db.name or messaging destination attribute). */
  server: string;
  /** DIRECT: client/server span pair. MESSAGING_SYSTEM: producer/consumer pair. DATABASE: client span to a database (db.system). VIRTUAL_NODE: one side never reported its span. */
  connectionType: ConnectionType;
  /** Requests seen on the edge in the window. */
  requestCount: bigint;
  /** Requests where either side had status ERROR. */
  failedCount: bigint;
  /** Latency measured by the client spans. */
  clientLatency: LatencyHistogram;
  /** Latency measured by the server spans. */
  serverLatency: LatencyHistogram;
  /** True when client or server is a virtual node inferred from span attributes rather than an instrumented service. */
  virtualPeer: boolean;
  /** Extra configured dimensions copied from the span attributes (the connector's dimensions option). */
  dimensions: Record<string, string>;
}
/** The Avro schema of schemas/service-graph-edge.avsc, as registered for its topics. */
export const SERVICE_GRAPH_EDGE_SCHEMA = {
  "type": "record",
  "name": "ServiceGraphEdge",
  "namespace": "io.sextant.traces",
  "doc": "Requests between two services over one time window, derived from paired client/server (or producer/consumer) spans. Value schema of the servicegraph topic. Semantics follow the OpenTelemetry servicegraph connector: request and failed counts, client- and server-side latency per edge, virtual nodes for uninstrumented peers.",
  "fields": [
    {
      "name": "tenant",
      "type": "string",
      "doc": "Tenant the spans belong to."
    },
    {
      "name": "windowStartUnixNano",
      "type": "long",
      "doc": "Window start (inclusive), nanoseconds since the Unix epoch."
    },
    {
      "name": "windowEndUnixNano",
      "type": "long",
      "doc": "Window end (exclusive), nanoseconds since the Unix epoch."
    },
    {
      "name": "client",
      "type": "string",
      "doc": "Calling service (or virtual node name)."
    },
    {
      "name": "server",
      "type": "string",
      "doc": "Called service (or virtual node name: the peer.service, db.name or messaging destination attribute)."
    },
    {
      "name": "connectionType",
      "type": {
        "type": "enum",
        "name": "ConnectionType",
        "doc": "How client and server are connected (the servicegraph connector's connection_type).",
        "symbols": [
          "DIRECT",
          "MESSAGING_SYSTEM",
          "DATABASE",
          "VIRTUAL_NODE"
        ],
        "default": "DIRECT"
      },
      "default": "DIRECT",
      "doc": "DIRECT: client/server span pair. MESSAGING_SYSTEM: producer/consumer pair. DATABASE: client span to a database (db.system). VIRTUAL_NODE: one side never reported its span."
    },
    {
      "name": "requestCount",
      "type": "long",
      "doc": "Requests seen on the edge in the window."
    },
    {
      "name": "failedCount",
      "type": "long",
      "default": 0,
      "doc": "Requests where either side had status ERROR."
    },
    {
      "name": "clientLatency",
      "type": {
        "type": "record",
        "name": "LatencyHistogram",
        "doc": "Latency distribution of the edge's requests in seconds.",
        "fields": [
          {
            "name": "boundsSeconds",
            "type": {
              "type": "array",
              "items": "double"
            },
            "default": [],
            "doc": "Upper bounds of the buckets in seconds, ascending, without +Inf."
          },
          {
            "name": "bucketCounts",
            "type": {
              "type": "array",
              "items": "long"
            },
            "default": [],
            "doc": "Per-bucket (not cumulative) counts; one more entry than boundsSeconds."
          },
          {
            "name": "count",
            "type": "long",
            "default": 0,
            "doc": "Number of requests measured."
          },
          {
            "name": "sumSeconds",
            "type": "double",
            "default": 0,
            "doc": "Sum of the latencies in seconds."
          }
        ]
      },
      "doc": "Latency measured by the client spans."
    },
    {
      "name": "serverLatency",
      "type": "LatencyHistogram",
      "doc": "Latency measured by the server spans."
    },
    {
      "name": "virtualPeer",
      "type": "boolean",
      "default": false,
      "doc": "True when client or server is a virtual node inferred from span attributes rather than an instrumented service."
    },
    {
      "name": "dimensions",
      "type": {
        "type": "map",
        "values": "string"
      },
      "default": {},
      "doc": "Extra configured dimensions copied from the span attributes (the connector's dimensions option)."
    }
  ]
} as const;
