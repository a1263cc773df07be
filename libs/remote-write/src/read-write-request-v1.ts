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
import type { CachedLabelSet, LabelSetCache } from './label-set-cache';

/** One `TimeSeries` as sent. */
export interface SeriesV1Data {
  /** As sent; when read through a LabelSetCache and found there, the remembered (already validated) array. */
  readonly labels: Label[];
  /** The first label whose name or value was not valid UTF-8, if any. */
  readonly invalidUtf8: InvalidUtf8Label | undefined;
  readonly samples: readonly Sample[];
  readonly exemplars: readonly Exemplar[];
  readonly histograms: readonly NativeHistogram[];
  /** Only when read through a LabelSetCache: its entry for these labels (`labels` is `labelSet.labels`). */
  readonly labelSet?: CachedLabelSet;
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

/**
 * Decodes a whole WriteRequest. With `labelSets`, a series whose labels (the run of label fields it starts with,
 * all of its labels) are bytes the cache remembers gets the remembered label array and entry instead of a
 * freshly decoded one; a series read in full is remembered.
 */
export function readWriteRequestV1(bytes: Uint8Array, labelSets?: LabelSetCache): WriteRequestV1Data {
  const r = wireReader(bytes);
  const timeseries: SeriesV1Data[] = [];
  const metadata: MetadataV1Data[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_WRITE_REQUEST.timeseries:
        timeseries.push(readTimeSeries(r, enterMessage(r, wireType, 'WriteRequest.timeseries'), labelSets));
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

function readTimeSeries(r: Reader, end: number, labelSets: LabelSetCache | undefined): SeriesV1Data {
  if (labelSets === undefined) return readSeriesFields(r, end, [], undefined, undefined) as SeriesV1Data;
  const start = r.pos;
  const runEnd = labelRunEnd(r, start, end);
  if (runEnd === start) return readSeriesFields(r, end, [], undefined, undefined) as SeriesV1Data;
  const known = labelSets.get(r.buf, start, runEnd);
  if (known !== undefined) {
    r.pos = runEnd;
    const series = readSeriesFields(r, end, known.labels, known.invalidUtf8, known);
    if (series !== undefined) return series;
    r.pos = start; // more labels after the other fields: not the remembered label set after all
    return readSeriesFields(r, end, [], undefined, undefined) as SeriesV1Data;
  }
  const series = readSeriesFields(r, end, [], undefined, undefined) as SeriesV1Data;
  if (lastLabelEnd !== runEnd) return series;
  const entry = labelSets.set(r.buf, start, runEnd, series.labels, series.invalidUtf8);
  return { labels: entry.labels, invalidUtf8: entry.invalidUtf8, samples: series.samples, exemplars: series.exemplars, histograms: series.histograms, labelSet: entry };
}

/** Where the label fields `TimeSeries` bytes from `start` begin with end (each tag one byte, each length in bounds). */
function labelRunEnd(r: Reader, start: number, end: number): number {
  const buf = r.buf;
  let pos = start;
  while (pos < end && buf[pos] === LABEL_TAG) {
    // A label's length: one or two varint bytes (up to 16383); a longer one ends the run (read in full instead).
    let at = pos + 1;
    let length = at < end ? (buf[at++] as number) : 0x80;
    if (length >= 0x80) {
      const high = at < end ? (buf[at++] as number) : 0x80;
      if (high >= 0x80) break;
      length = (length & 0x7f) | (high << 7);
    }
    if (at + length > end) break;
    pos = at + length;
  }
  return pos;
}

/** Tag byte of `TimeSeries.labels` (length-delimited). */
const LABEL_TAG = (V1_TIME_SERIES.labels << 3) | 2;
/** Where the last label read by readSeriesFields ended (module scratch, as in proto-wire). */
let lastLabelEnd = 0;

/**
 * The fields of a TimeSeries from `r.pos` to `end`, labels appended to `labels`. With `known` (labels already
 * given by a LabelSetCache entry), a label field means the series is not that label set: undefined.
 */
function readSeriesFields(r: Reader, end: number, labels: Label[], knownInvalid: InvalidUtf8Label | undefined, known: CachedLabelSet | undefined): SeriesV1Data | undefined {
  let samples: Sample[] | undefined;
  let exemplars: Exemplar[] | undefined;
  let histograms: NativeHistogram[] | undefined;
  let invalidUtf8 = knownInvalid;
  lastLabelEnd = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V1_TIME_SERIES.labels: {
        if (known !== undefined) return undefined;
        const invalid = readLabel(r, enterMessage(r, wireType, 'TimeSeries.labels'), labels);
        if (invalid !== undefined && invalidUtf8 === undefined) invalidUtf8 = invalid;
        lastLabelEnd = r.pos;
        break;
      }
      case V1_TIME_SERIES.samples: {
        // The first one as a one-element literal: most series carry one sample, and push() onto [] reserves 17.
        const sample = readSample(r, enterMessage(r, wireType, 'TimeSeries.samples'), false);
        if (samples === undefined) samples = [sample];
        else samples.push(sample);
        break;
      }
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
  if (known !== undefined) return { labels, invalidUtf8, samples: samples ?? NONE, exemplars: exemplars ?? NONE, histograms: histograms ?? NONE, labelSet: known };
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
