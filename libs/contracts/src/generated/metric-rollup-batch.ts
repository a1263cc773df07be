// Generated from schemas/metric-rollup-batch.avsc by tools/avro-codegen.mjs. Do not edit.
import type { MetricRollup } from './metric-rollup';
/** Batch envelope of rollups: one Kafka message holds many window rows whose series keys all map to the message's partition under Kafka's default murmur2 partitioner, so every series keeps one partition and its rows are in order. The message key is the series key of the first row. The aggregator writes metrics.rollups this way (subject <topic>-io.sextant.metrics.MetricRollupBatch), bounded in records and bytes; a row's identity is (topic, partition, offset, index in records). Single MetricRollups (subject <topic>-value) are read too. */
export interface MetricRollupBatch {
  /** The rows, in the order they were emitted; those of one series keep their order. */
  records: MetricRollup[];
}
/** The Avro schema of schemas/metric-rollup-batch.avsc, as registered for its topics. */
export const METRIC_ROLLUP_BATCH_SCHEMA = {
  "type": "record",
  "name": "MetricRollupBatch",
  "namespace": "io.sextant.metrics",
  "doc": "Batch envelope of rollups: one Kafka message holds many window rows whose series keys all map to the message's partition under Kafka's default murmur2 partitioner, so every series keeps one partition and its rows are in order. The message key is the series key of the first row. The aggregator writes metrics.rollups this way (subject <topic>-io.sextant.metrics.MetricRollupBatch), bounded in records and bytes; a row's identity is (topic, partition, offset, index in records). Single MetricRollups (subject <topic>-value) are read too.",
  "fields": [
    {
      "name": "records",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "MetricRollup",
          "namespace": "io.sextant.metrics",
          "doc": "One aggregated time window of one series, as the aggregator emits it. Value schema of the metrics.rollups topic. Series come from ingest.metrics and are derived from logs and spans (RED metrics). A window re-opened by late samples is emitted again with a higher revision; consumers keep the highest.",
          "fields": [
            {
              "name": "tenant",
              "type": "string",
              "doc": "Tenant the series belongs to."
            },
            {
              "name": "seriesKey",
              "type": "string",
              "doc": "Stable series identity (seriesKey(tenant, name, labels) of @sextant/contracts); also the Kafka key."
            },
            {
              "name": "name",
              "type": "string",
              "doc": "Metric name."
            },
            {
              "name": "labels",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Series labels without __name__. For the overflow series only otel_metric_overflow=\"true\"."
            },
            {
              "name": "serviceName",
              "type": "string",
              "default": "",
              "doc": "service.name of the series' resource, empty when unknown."
            },
            {
              "name": "unit",
              "type": "string",
              "default": "",
              "doc": "Metric unit as collected."
            },
            {
              "name": "windowStartUnixNano",
              "type": "long",
              "doc": "Window start (inclusive), nanoseconds since the Unix epoch; aligned to the window size."
            },
            {
              "name": "windowEndUnixNano",
              "type": "long",
              "doc": "Window end (exclusive), nanoseconds since the Unix epoch."
            },
            {
              "name": "kind",
              "type": {
                "type": "enum",
                "name": "RollupKind",
                "doc": "How the window was aggregated, derived from the source metric type.",
                "symbols": [
                  "GAUGE",
                  "COUNTER",
                  "UPDOWN_COUNTER",
                  "HISTOGRAM",
                  "SUMMARY"
                ]
              },
              "doc": "GAUGE: count/sum/min/max/last of the values. COUNTER: monotonic sum, with increase and rate. UPDOWN_COUNTER: non-monotonic sum, last and delta in sum. HISTOGRAM: merged buckets and quantiles (explicit and exponential histograms alike). SUMMARY: last quantiles as reported."
            },
            {
              "name": "count",
              "type": "long",
              "doc": "Number of samples (for histograms and summaries: observations) the window aggregated."
            },
            {
              "name": "sum",
              "type": "double",
              "default": 0,
              "doc": "Sum of the sample values (gauges), of the deltas (sums) or of the observations (histograms, summaries)."
            },
            {
              "name": "min",
              "type": [
                "null",
                "double"
              ],
              "default": null,
              "doc": "Smallest value (or observation) in the window, null when unknown."
            },
            {
              "name": "max",
              "type": [
                "null",
                "double"
              ],
              "default": null,
              "doc": "Largest value (or observation) in the window, null when unknown."
            },
            {
              "name": "last",
              "type": "double",
              "default": 0,
              "doc": "Last value seen in the window (for counters: the last cumulative value)."
            },
            {
              "name": "increase",
              "type": [
                "null",
                "double"
              ],
              "default": null,
              "doc": "COUNTER only: increase over the window, corrected for counter resets; null for other kinds."
            },
            {
              "name": "rate",
              "type": [
                "null",
                "double"
              ],
              "default": null,
              "doc": "COUNTER only: increase per second over the window; null for other kinds."
            },
            {
              "name": "resets",
              "type": "int",
              "default": 0,
              "doc": "Counter resets detected in the window."
            },
            {
              "name": "histogram",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "RollupHistogram",
                  "doc": "Explicit-bucket histogram merged over the window.",
                  "fields": [
                    {
                      "name": "explicitBounds",
                      "type": {
                        "type": "array",
                        "items": "double"
                      },
                      "default": [],
                      "doc": "Upper bounds of the buckets, ascending, without +Inf."
                    },
                    {
                      "name": "bucketCounts",
                      "type": {
                        "type": "array",
                        "items": "long"
                      },
                      "default": [],
                      "doc": "Per-bucket (not cumulative) counts over the window; one more entry than explicitBounds."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "HISTOGRAM from explicit-bucket input only: buckets merged over the window (a change of bounds within a series counts as a reset). Null for other kinds and for exponential-histogram input, which fills exponentialHistogram."
            },
            {
              "name": "exponentialHistogram",
              "type": [
                "null",
                {
                  "type": "record",
                  "name": "RollupExponentialHistogram",
                  "doc": "Exponential (base-2) histogram merged over the window: each point is brought to the smallest scale seen (scale reduction adds 2^k neighbouring buckets together), then buckets are added.",
                  "fields": [
                    {
                      "name": "scale",
                      "type": "int",
                      "doc": "Resolution of the merged buckets: boundaries are powers of 2^(2^-scale)."
                    },
                    {
                      "name": "zeroCount",
                      "type": "long",
                      "default": 0,
                      "doc": "Observations in the zero bucket over the window."
                    },
                    {
                      "name": "zeroThreshold",
                      "type": "double",
                      "default": 0,
                      "doc": "Largest zero threshold among the merged points."
                    },
                    {
                      "name": "positive",
                      "type": {
                        "type": "record",
                        "name": "RollupExponentialBuckets",
                        "doc": "A dense run of exponential buckets.",
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
                            "doc": "Counts of consecutive buckets from offset over the window (not cumulative)."
                          }
                        ]
                      },
                      "doc": "Buckets of positive observations."
                    },
                    {
                      "name": "negative",
                      "type": "RollupExponentialBuckets",
                      "doc": "Buckets of negative observations, by magnitude."
                    }
                  ]
                }
              ],
              "default": null,
              "doc": "HISTOGRAM from exponential-histogram input only: the merged exponential buckets (histogram is then null). Null otherwise."
            },
            {
              "name": "quantiles",
              "type": {
                "type": "array",
                "items": {
                  "type": "record",
                  "name": "RollupQuantile",
                  "doc": "One quantile estimated over the window.",
                  "fields": [
                    {
                      "name": "quantile",
                      "type": "double",
                      "doc": "Quantile in [0, 1]."
                    },
                    {
                      "name": "value",
                      "type": "double",
                      "doc": "Estimated value at that quantile."
                    }
                  ]
                }
              },
              "default": [],
              "doc": "Quantile estimates of the window: from the aggregator's mergeable sketch for HISTOGRAM (and for GAUGE when configured), as reported for SUMMARY. Ascending by quantile."
            },
            {
              "name": "overflow",
              "type": "boolean",
              "default": false,
              "doc": "True for a tenant's overflow series: samples of new series beyond the cardinality budget are folded into it instead of being dropped silently."
            },
            {
              "name": "sourceTopic",
              "type": "string",
              "default": "",
              "doc": "Logical topic the samples came from: ingest.metrics, logs or spans."
            },
            {
              "name": "revision",
              "type": "int",
              "default": 0,
              "doc": "0 for the first emission of the window; incremented each time late samples re-open it."
            },
            {
              "name": "shard",
              "type": "int",
              "default": -1,
              "doc": "-1 for a series' own rollup. For an overflow series (each partition folds its own) and for a pre-aggregation (a recording rule's by/without) the input partition whose series (or refused samples) this row sums: each partition emits its partial and readers add the partials of one window."
            }
          ]
        }
      },
      "doc": "The rows, in the order they were emitted; those of one series keep their order."
    }
  ]
} as const;
