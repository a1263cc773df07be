/**
 * Reads the bytes of a `prometheus.WriteRequest` (remote write 1.0) straight into model objects: one object per
 * label, sample, exemplar and histogram and nothing in between (no protobufjs message objects, no Long per
 * timestamp). Field numbers come from remote-write-wire-fields.ts, which is checked against the vendored .proto
 * files. Labels come out as sent (validation and sorting are the caller's); exemplar labels come out sorted, as
 * Prometheus's ToExemplar sorts them. Malformed bytes throw WireError (or protobufjs's RangeError).
 */
import type { Reader } from 'protobufjs';
import { enterMessage, expectEnd, int32Field, lastStringWasUtf8, skipField, stringField, wireReader } from './proto-wire';
import { readExemplarPoint } from './read-exemplar';
import { readNativeHistogram } from './read-native-histogram';
import { readSample } from './read-sample';
import { NONE } from './series-points';
import { metricTypeOf } from './metric-type';
import type { Exemplar, Label, MetricMetadata, NativeHistogram, Sample } from './remote-write.model';
import { V1_EXEMPLAR, V1_LABEL, V1_METRIC_METADATA, V1_TIME_SERIES, V1_WRITE_REQUEST } from './remote-write-wire-fields';
import { sortLabels, type InvalidUtf8Label } from './validate-series-labels';

/** One `TimeSeries` as sent. */
export interface SeriesV1Data {
  readonly labels: Label[];
  /** The first label whose name or value was not valid UTF-8, if any. */
  readonly invalidUtf8: InvalidUtf8Label | undefined;
  readonly samples: readonly Sample[];
  readonly exemplars: readonly Exemplar[];
  readonly histograms: readonly NativeHistogram[];
}

/** One `MetricMetadata` entry. */
export interface MetadataV1Data {
  readonly metricFamilyName: string;
  readonly metadata: MetricMetadata;
}

export interface WriteRequestV1Data {
  readonly timeseries: SeriesV1Data[];
  readonly metadata: MetadataV1Data[];
}

/** Decodes a whole WriteRequest. */
export function readWriteRequestV1(bytes: Uint8Array): WriteRequestV1Data {
  const r = wireReader(bytes);
  const timeseries: SeriesV1Data[] = [];
  const metadata: MetadataV1Data[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_WRITE_REQUEST.timeseries:
        timeseries.push(readTimeSeries(r, enterMessage(r, wireType, 'WriteRequest.timeseries')));
        break;
      case V1_WRITE_REQUEST.metadata:
        metadata.push(readMetadata(r, enterMessage(r, wireType, 'WriteRequest.metadata')));
        break;
      default:
        skipField(r, wireType);
    }
  }
  return { timeseries, metadata };
}

function readTimeSeries(r: Reader, end: number): SeriesV1Data {
  const labels: Label[] = [];
  let samples: Sample[] | undefined;
  let exemplars: Exemplar[] | undefined;
  let histograms: NativeHistogram[] | undefined;
  let invalidUtf8: InvalidUtf8Label | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_TIME_SERIES.labels: {
        const invalid = readLabel(r, enterMessage(r, wireType, 'TimeSeries.labels'), labels);
        if (invalid !== undefined && invalidUtf8 === undefined) invalidUtf8 = invalid;
        break;
      }
      case V1_TIME_SERIES.samples:
        (samples ??= []).push(readSample(r, enterMessage(r, wireType, 'TimeSeries.samples'), false));
        break;
      case V1_TIME_SERIES.exemplars:
        (exemplars ??= []).push(readExemplar(r, enterMessage(r, wireType, 'TimeSeries.exemplars')));
        break;
      case V1_TIME_SERIES.histograms:
        (histograms ??= []).push(readNativeHistogram(r, enterMessage(r, wireType, 'TimeSeries.histograms'), false));
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'TimeSeries');
  return { labels, invalidUtf8, samples: samples ?? NONE, exemplars: exemplars ?? NONE, histograms: histograms ?? NONE };
}

/** Appends the label to `out`; returns where its UTF-8 was invalid, if it was. */
function readLabel(r: Reader, end: number, out: Label[]): InvalidUtf8Label | undefined {
  let name = '';
  let value = '';
  let nameValid = true;
  let valueValid = true;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_LABEL.name:
        name = stringField(r, wireType, 'Label.name');
        nameValid = lastStringWasUtf8();
        break;
      case V1_LABEL.value:
        value = stringField(r, wireType, 'Label.value');
        valueValid = lastStringWasUtf8();
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'Label');
  const label: Label = { name, value };
  out.push(label);
  return nameValid && valueValid ? undefined : { label, inName: !nameValid };
}

function readExemplar(r: Reader, end: number): Exemplar {
  const labels: Label[] = [];
  const point = readExemplarPoint(r, end, V1_EXEMPLAR.labels, (wireType) => {
    readLabel(r, enterMessage(r, wireType, 'Exemplar.labels'), labels);
  });
  sortLabels(labels);
  return { labels, value: point.value, timestampMs: point.timestampMs };
}

function readMetadata(r: Reader, end: number): MetadataV1Data {
  let type = 0;
  let metricFamilyName = '';
  let help = '';
  let unit = '';
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_METRIC_METADATA.type:
        type = int32Field(r, wireType, 'MetricMetadata.type');
        break;
      case V1_METRIC_METADATA.metric_family_name:
        metricFamilyName = stringField(r, wireType, 'MetricMetadata.metric_family_name');
        break;
      case V1_METRIC_METADATA.help:
        help = stringField(r, wireType, 'MetricMetadata.help');
        break;
      case V1_METRIC_METADATA.unit:
        unit = stringField(r, wireType, 'MetricMetadata.unit');
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'MetricMetadata');
  return { metricFamilyName, metadata: { type: metricTypeOf(type), help, unit } };
}
