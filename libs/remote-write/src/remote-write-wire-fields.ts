/**
 * The field numbers the hand-written readers decode, per message, with the proto type each must have. The
 * .proto files stay the source of truth: `verifyWireFields` compares this table with the loaded definitions
 * (every field of every message read, number, type and repetition, and no field the table does not know), and
 * `ensureWireFieldsMatchProto` runs that once before the first decode, so a reader can never silently drift from
 * the vendored schema.
 */
import * as protobuf from 'protobufjs';
import { remoteWriteProtoTypes } from './remote-write-proto';

// ---- remote write 1.0 (package prometheus)
export const V1_WRITE_REQUEST = { timeseries: 1, metadata: 3 } as const;
export const V1_TIME_SERIES = { labels: 1, samples: 2, exemplars: 3, histograms: 4 } as const;
export const V1_LABEL = { name: 1, value: 2 } as const;
// Exemplars share value and timestamp across the versions; field 1 is `labels` (1.0) or `labels_refs` (2.0).
export const EXEMPLAR_POINT = { value: 2, timestamp: 3 } as const;
export const V1_EXEMPLAR = { labels: 1, ...EXEMPLAR_POINT } as const;
export const V1_METRIC_METADATA = { type: 1, metric_family_name: 2, help: 4, unit: 5 } as const;

// ---- remote write 2.0 (package io.prometheus.write.v2)
export const V2_REQUEST = { symbols: 4, timeseries: 5 } as const;
export const V2_TIME_SERIES = { labels_refs: 1, samples: 2, histograms: 3, exemplars: 4, metadata: 5 } as const;
export const V2_EXEMPLAR = { labels_refs: 1, ...EXEMPLAR_POINT } as const;
export const V2_METADATA = { type: 1, help_ref: 3, unit_ref: 4 } as const;

// ---- samples and native histograms: the same numbers in both packages; start_timestamp is 2.0 only.
export const SAMPLE = { value: 1, timestamp: 2, start_timestamp: 3 } as const;
export const HISTOGRAM = {
  count_int: 1,
  count_float: 2,
  sum: 3,
  schema: 4,
  zero_threshold: 5,
  zero_count_int: 6,
  zero_count_float: 7,
  negative_spans: 8,
  negative_deltas: 9,
  negative_counts: 10,
  positive_spans: 11,
  positive_deltas: 12,
  positive_counts: 13,
  reset_hint: 14,
  timestamp: 15,
  custom_values: 16,
  start_timestamp: 17,
} as const;
export const BUCKET_SPAN = { offset: 1, length: 2 } as const;

/** One message of the table: its fields' numbers and their proto types (`[]` marks repeated). */
interface WireMessage<F extends Record<string, number>> {
  readonly message: string;
  readonly fields: F;
  readonly types: { readonly [K in keyof F]: string };
}

function wire<F extends Record<string, number>>(message: string, fields: F, types: { readonly [K in keyof F]: string }): WireMessage<F> {
  return { message, fields, types };
}

const { start_timestamp: _v2OnlySample, ...V1_SAMPLE } = SAMPLE;
const { start_timestamp: _v2Only, ...V1_HISTOGRAM } = HISTOGRAM;
const histogramTypes = (pkg: string) => ({
  count_int: 'uint64',
  count_float: 'double',
  sum: 'double',
  schema: 'sint32',
  zero_threshold: 'double',
  zero_count_int: 'uint64',
  zero_count_float: 'double',
  negative_spans: `${pkg}.BucketSpan[]`,
  negative_deltas: 'sint64[]',
  negative_counts: 'double[]',
  positive_spans: `${pkg}.BucketSpan[]`,
  positive_deltas: 'sint64[]',
  positive_counts: 'double[]',
  reset_hint: `${pkg}.Histogram.ResetHint`,
  timestamp: 'int64',
  custom_values: 'double[]',
  start_timestamp: 'int64',
});
const { start_timestamp: _v1Lacks, ...v1HistogramTypes } = histogramTypes('prometheus');
const V2 = 'io.prometheus.write.v2';

/** Every message the readers decode. */
export const WIRE_SCHEMA: readonly WireMessage<Record<string, number>>[] = [
  wire('prometheus.WriteRequest', V1_WRITE_REQUEST, { timeseries: 'prometheus.TimeSeries[]', metadata: 'prometheus.MetricMetadata[]' }),
  wire('prometheus.TimeSeries', V1_TIME_SERIES, {
    labels: 'prometheus.Label[]',
    samples: 'prometheus.Sample[]',
    exemplars: 'prometheus.Exemplar[]',
    histograms: 'prometheus.Histogram[]',
  }),
  wire('prometheus.Label', V1_LABEL, { name: 'string', value: 'string' }),
  wire('prometheus.Sample', V1_SAMPLE, { value: 'double', timestamp: 'int64' }),
  wire('prometheus.Exemplar', V1_EXEMPLAR, { labels: 'prometheus.Label[]', value: 'double', timestamp: 'int64' }),
  wire('prometheus.MetricMetadata', V1_METRIC_METADATA, {
    type: 'prometheus.MetricMetadata.MetricType',
    metric_family_name: 'string',
    help: 'string',
    unit: 'string',
  }),
  wire('prometheus.Histogram', V1_HISTOGRAM, v1HistogramTypes),
  wire('prometheus.BucketSpan', BUCKET_SPAN, { offset: 'sint32', length: 'uint32' }),
  wire(`${V2}.Request`, V2_REQUEST, { symbols: 'string[]', timeseries: `${V2}.TimeSeries[]` }),
  wire(`${V2}.TimeSeries`, V2_TIME_SERIES, {
    labels_refs: 'uint32[]',
    samples: `${V2}.Sample[]`,
    histograms: `${V2}.Histogram[]`,
    exemplars: `${V2}.Exemplar[]`,
    metadata: `${V2}.Metadata`,
  }),
  wire(`${V2}.Exemplar`, V2_EXEMPLAR, { labels_refs: 'uint32[]', value: 'double', timestamp: 'int64' }),
  wire(`${V2}.Sample`, SAMPLE, { value: 'double', timestamp: 'int64', start_timestamp: 'int64' }),
  wire(`${V2}.Metadata`, V2_METADATA, { type: `${V2}.Metadata.MetricType`, help_ref: 'uint32', unit_ref: 'uint32' }),
  wire(`${V2}.Histogram`, HISTOGRAM, histogramTypes(V2)),
  wire(`${V2}.BucketSpan`, BUCKET_SPAN, { offset: 'sint32', length: 'uint32' }),
];

/** Differences between the table and the loaded definitions; empty when they agree. */
export function verifyWireFields(root: protobuf.Root): string[] {
  const problems: string[] = [];
  for (const { message, fields, types } of WIRE_SCHEMA) {
    const type = root.lookup(message);
    if (!(type instanceof protobuf.Type)) {
      problems.push(`${message}: no such message in the proto files`);
      continue;
    }
    const protoNames = Object.keys(type.fields).sort();
    const tableNames = Object.keys(fields).sort();
    if (protoNames.join() !== tableNames.join()) {
      problems.push(`${message}: proto fields [${protoNames.join(', ')}], reader knows [${tableNames.join(', ')}]`);
    }
    for (const name of tableNames) {
      const field = type.fields[name];
      if (field === undefined) continue;
      const typeName = field.resolvedType === null ? field.type : field.resolvedType.fullName.slice(1);
      const actual = `${typeName}${field.repeated ? '[]' : ''}`;
      if (field.id !== fields[name] || actual !== types[name]) {
        problems.push(`${message}.${name}: proto has ${actual} = ${field.id}, reader expects ${types[name]} = ${fields[name]}`);
      }
    }
  }
  return problems;
}

let verified = false;

/** Throws when the readers' table and the vendored .proto files disagree; checks once per process. */
export function ensureWireFieldsMatchProto(): void {
  if (verified) return;
  const problems = verifyWireFields(remoteWriteProtoTypes().root);
  if (problems.length > 0) throw new Error(`remote-write readers disagree with the .proto files: ${problems.join('; ')}`);
  verified = true;
}
