// Generated from schemas/metric-batch.avsc by tools/avro-codegen.mjs. Do not edit.
import type { MetricSample } from './metric-sample';
/** Batch envelope of metric samples: one Kafka message holds many samples whose series keys (seriesKey: tenant, name, sorted labels) all map to the message's partition under Kafka's default murmur2 partitioner, so every series keeps one partition, and its samples are in order within and across envelopes. The message key is the series key of the first sample, which the default partitioner maps to that same partition. Sextant's ingest writes ingest.metrics this way (subject <topic>-io.sextant.metrics.MetricBatch), bounded in records and bytes; a sample's identity is (topic, partition, offset, index in records). Third-party producers may still publish single MetricSamples on ingest.metrics (subject <topic>-value), keyed by their series key. */
export interface MetricBatch {
  /** The samples, in the order they were received; those of one series keep their order. */
  records: MetricSample[];
}
/** The Avro schema of schemas/metric-batch.avsc, as registered for its topics. */
export const METRIC_BATCH_SCHEMA = {
  "type": "record",
  "name": "MetricBatch",
  "namespace": "io.sextant.metrics",
  "doc": "Batch envelope of metric samples: one Kafka message holds many samples whose series keys (seriesKey: tenant, name, sorted labels) all map to the message's partition under Kafka's default murmur2 partitioner, so every series keeps one partition, and its samples are in order within and across envelopes. The message key is the series key of the first sample, which the default partitioner maps to that same partition. Sextant's ingest writes ingest.metrics this way (subject <topic>-io.sextant.metrics.MetricBatch), bounded in records and bytes; a sample's identity is (topic, partition, offset, index in records). Third-party producers may still publish single MetricSamples on ingest.metrics (subject <topic>-value), keyed by their series key.",
  "fields": [
    {
      "name": "records",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "MetricSample",
          "namespace": "io.sextant.metrics",
          "doc": "One data point of one metric series, as collected. Value schema of the ingest.metrics topic. Mirrors the OpenTelemetry metrics data model (one record per data point, metric metadata repeated) so that OTLP, Prometheus remote write and scrapes all land in one shape. Exactly one of value, histogram, exponentialHistogram, summary is meaningful, as type says; the other sub-records are null. Attribute values are flattened to strings as in the OpenTelemetry ClickHouse schema.",
          "fields": [
            {
              "name": "tenant",
              "type": "string",
              "doc": "Tenant taken from the ingest credential."
            },
            {
              "name": "name",
              "type": "string",
              "doc": "Metric name (Prometheus __name__), e.g. http_server_request_duration_seconds."
            },
            {
              "name": "description",
              "type": "string",
              "default": "",
              "doc": "Metric description (Prometheus HELP)."
            },
            {
              "name": "unit",
              "type": "string",
              "default": "",
              "doc": "Metric unit, UCUM as OpenTelemetry uses it (s, By, 1, ...); empty when unknown."
            },
            {
              "name": "type",
              "type": {
                "type": "enum",
                "name": "MetricType",
                "doc": "Kind of data point; says which value fields are meaningful.",
                "symbols": [
                  "GAUGE",
                  "SUM",
                  "HISTOGRAM",
                  "EXPONENTIAL_HISTOGRAM",
                  "SUMMARY"
                ]
              },
              "doc": "Kind of data point: GAUGE and SUM use value, HISTOGRAM uses histogram, EXPONENTIAL_HISTOGRAM uses exponentialHistogram, SUMMARY uses summary."
            },
            {
              "name": "temporality",
              "type": {
                "type": "enum",
                "name": "AggregationTemporality",
                "doc": "OpenTelemetry aggregation temporality of sums and histograms.",
                "symbols": [
                  "UNSPECIFIED",
                  "DELTA",
                  "CUMULATIVE"
                ],
                "default": "UNSPECIFIED"
              },
              "default": "UNSPECIFIED",
              "doc": "Whether value/counts cover the interval since the previous point (DELTA) or since startTimeUnixNano (CUMULATIVE). Prometheus counters are CUMULATIVE; gauges UNSPECIFIED."
            },
            {
              "name": "isMonotonic",
              "type": "boolean",
              "default": false,
              "doc": "For SUM: true when the sum only grows (a Prometheus counter), false for an up-down counter."
            },
            {
              "name": "attributes",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Data point attributes (Prometheus labels without __name__); non-string values are JSON-encoded."
            },
            {
              "name": "resource",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Resource attributes of the emitting entity (for scrapes: job, instance and target labels as OpenTelemetry maps them)."
            },
            {
              "name": "serviceName",
              "type": "string",
              "default": "",
              "doc": "service.name of the resource (for Prometheus sources: the job label), or what enrichment derived."
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
              "name": "startTimeUnixNano",
              "type": "long",
              "default": 0,
              "doc": "Start of the interval a cumulative or delta point covers, nanoseconds since the Unix epoch; 0 when unknown (gauges, most Prometheus sources)."
            },
            {
              "name": "timeUnixNano",
              "type": "long",
              "doc": "Time of the data point, nanoseconds since the Unix epoch."
            },
            {
              "name": "value",
              "type": "double",
              "default": 0,
              "doc": "Value of a GAUGE or SUM point (OTLP integer values are converted to double). 0 for other types and when flags has NO_RECORDED_VALUE."
            },
            {
              "name": "histogram",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "HistogramData",
                  "doc": "An explicit-bucket histogram data point.",
                  "fields": [
                    {
                      "name": "count",
                      "type": "long",
                      "doc": "Number of observations."
                    },
                    {
                      "name": "sum",
                      "type": "double",
                      "default": 0,
                      "doc": "Sum of the observations; 0 when the source did not report one."
                    },
                    {
                      "name": "min",
                      "type": [
                        "null",
                        "double"
                      ],
                      "default": null,
                      "doc": "Smallest observation, null when not reported."
                    },
                    {
                      "name": "max",
                      "type": [
                        "null",
                        "double"
                      ],
                      "default": null,
                      "doc": "Largest observation, null when not reported."
                    },
                    {
                      "name": "explicitBounds",
                      "type": {
                        "type": "array",
                        "items": "double"
                      },
                      "default": [],
                      "doc": "Upper bounds of the buckets, ascending, without the implicit +Inf bound."
                    },
                    {
                      "name": "bucketCounts",
                      "type": {
                        "type": "array",
                        "items": "long"
                      },
                      "default": [],
                      "doc": "Per-bucket (not cumulative) counts; one more entry than explicitBounds, the last for +Inf. Prometheus le-buckets are de-accumulated at ingest."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Histogram point, set when type is HISTOGRAM, null otherwise."
            },
            {
              "name": "exponentialHistogram",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "ExponentialHistogramData",
                  "doc": "An OpenTelemetry exponential (base-2) histogram data point.",
                  "fields": [
                    {
                      "name": "count",
                      "type": "long",
                      "doc": "Number of observations, including the zero bucket."
                    },
                    {
                      "name": "sum",
                      "type": "double",
                      "default": 0,
                      "doc": "Sum of the observations; 0 when the source did not report one."
                    },
                    {
                      "name": "min",
                      "type": [
                        "null",
                        "double"
                      ],
                      "default": null,
                      "doc": "Smallest observation, null when not reported."
                    },
                    {
                      "name": "max",
                      "type": [
                        "null",
                        "double"
                      ],
                      "default": null,
                      "doc": "Largest observation, null when not reported."
                    },
                    {
                      "name": "scale",
                      "type": "int",
                      "doc": "Resolution: bucket boundaries are powers of base = 2^(2^-scale)."
                    },
                    {
                      "name": "zeroCount",
                      "type": "long",
                      "default": 0,
                      "doc": "Observations whose magnitude is at most zeroThreshold."
                    },
                    {
                      "name": "zeroThreshold",
                      "type": "double",
                      "default": 0,
                      "doc": "Width of the zero bucket; 0 means exactly zero."
                    },
                    {
                      "name": "positive",
                      "type": {
                        "type": "record",
                        "name": "ExponentialBuckets",
                        "doc": "A dense run of exponential histogram buckets.",
                        "fields": [
                          {
                            "name": "offset",
                            "type": "int",
                            "default": 0,
                            "doc": "Index of the first bucket: bucket i covers (base^(offset+i), base^(offset+i+1)]."
                          },
                          {
                            "name": "bucketCounts",
                            "type": {
                              "type": "array",
                              "items": "long"
                            },
                            "default": [],
                            "doc": "Counts of consecutive buckets starting at offset."
                          }
                        ]
                      },
                      "doc": "Buckets of positive observations."
                    },
                    {
                      "name": "negative",
                      "type": "ExponentialBuckets",
                      "doc": "Buckets of negative observations, by magnitude."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Exponential histogram point, set when type is EXPONENTIAL_HISTOGRAM, null otherwise."
            },
            {
              "name": "summary",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "SummaryData",
                  "doc": "A summary data point: count, sum and pre-computed quantiles (Prometheus summary).",
                  "fields": [
                    {
                      "name": "count",
                      "type": "long",
                      "doc": "Number of observations."
                    },
                    {
                      "name": "sum",
                      "type": "double",
                      "default": 0,
                      "doc": "Sum of the observations."
                    },
                    {
                      "name": "quantiles",
                      "type": {
                        "type": "array",
                        "items": {
                          "type": "record",
                          "name": "QuantileValue",
                          "doc": "One quantile of a summary.",
                          "fields": [
                            {
                              "name": "quantile",
                              "type": "double",
                              "doc": "Quantile in [0, 1], e.g. 0.99."
                            },
                            {
                              "name": "value",
                              "type": "double",
                              "doc": "Value at that quantile."
                            }
                          ]
                        }
                      },
                      "default": [],
                      "doc": "Quantiles as the source computed them, ascending by quantile."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "Summary point, set when type is SUMMARY, null otherwise."
            },
            {
              "name": "exemplars",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "Exemplar",
                  "doc": "A sample observation that links the point to a trace.",
                  "fields": [
                    {
                      "name": "timeUnixNano",
                      "type": "long",
                      "doc": "When the observation was made, nanoseconds since the Unix epoch."
                    },
                    {
                      "name": "value",
                      "type": "double",
                      "doc": "Observed value."
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
                      "name": "filteredAttributes",
                      "type": {
                        "type": "map",
                        "values": "string"
                      },
                      "default": {},
                      "doc": "Attributes of the observation that the point's own attributes do not carry."
                    }
                  ]
                }
              },
              "default": [],
              "doc": "Exemplars attached to the point."
            },
            {
              "name": "flags",
              "type": "int",
              "default": 0,
              "doc": "OpenTelemetry data point flags. Bit 0 (1) = NO_RECORDED_VALUE: the series went stale; a Prometheus stale marker (NaN 0x7ff0000000000002) is carried this way because NaN payloads do not survive JavaScript numbers."
            },
            {
              "name": "source",
              "type": "string",
              "default": "",
              "doc": "How the point entered: otlp, remote-write, scrape, kafka-otlp, span-metrics, log-metrics, ..."
            }
          ]
        }
      },
      "doc": "The samples, in the order they were received; those of one series keep their order."
    }
  ]
} as const;
