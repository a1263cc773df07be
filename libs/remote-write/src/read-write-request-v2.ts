/**
 * Reads the bytes of an `io.prometheus.write.v2.Request` (remote write 2.0) into its symbols table and, per
 * series, the references as sent plus model samples and histograms. Resolving references is the caller's job
 * (a bad reference spoils one series, not the request); the symbols may come after the series on the wire, so
 * nothing is resolved while reading. Each symbol is decoded once, and its UTF-8 validity kept. Field numbers
 * come from remote-write-wire-fields.ts, which is checked against the vendored .proto files. Malformed bytes
 * throw WireError (or protobufjs's RangeError).
 */
import type { Reader } from 'protobufjs';
import {
  enterMessage,
  expectEnd,
  int32Field,
  lastStringWasUtf8,
  readRepeated,
  skipField,
  stringField,
  uint32Field,
  wireReader,
  WIRE_VARINT,
} from './proto-wire';
import { readExemplarPoint } from './read-exemplar';
import { readNativeHistogram } from './read-native-histogram';
import { readSample } from './read-sample';
import { NONE } from './series-points';
import type { NativeHistogram, Sample } from './remote-write.model';
import { V2_EXEMPLAR, V2_METADATA, V2_REQUEST, V2_TIME_SERIES } from './remote-write-wire-fields';

/** An exemplar as sent: its label references unresolved. */
export interface ExemplarV2Data {
  readonly labelsRefs: number[];
  readonly value: number;
  readonly timestampMs: number;
}

/** A series' `Metadata` as sent (all zero when absent). */
export interface MetadataV2Data {
  readonly type: number;
  readonly helpRef: number;
  readonly unitRef: number;
}

/** One `TimeSeries` as sent. */
export interface SeriesV2Data {
  readonly labelsRefs: number[];
  readonly samples: readonly Sample[];
  readonly histograms: readonly NativeHistogram[];
  readonly exemplars: readonly ExemplarV2Data[];
  readonly metadata: MetadataV2Data;
}

export interface RequestV2Data {
  readonly symbols: string[];
  /** Indexes of symbols that were not valid UTF-8 (decoded lossily); undefined when there are none. */
  readonly invalidSymbols: ReadonlySet<number> | undefined;
  readonly timeseries: SeriesV2Data[];
}

const NO_METADATA: MetadataV2Data = Object.freeze({ type: 0, helpRef: 0, unitRef: 0 });
const readRef = (r: Reader): number => r.uint32();

/** Decodes a whole Request. */
export function readWriteRequestV2(bytes: Uint8Array): RequestV2Data {
  const r = wireReader(bytes);
  const symbols: string[] = [];
  let invalidSymbols: Set<number> | undefined;
  const timeseries: SeriesV2Data[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V2_REQUEST.symbols:
        symbols.push(stringField(r, wireType, 'Request.symbols'));
        if (!lastStringWasUtf8()) (invalidSymbols ??= new Set()).add(symbols.length - 1);
        break;
      case V2_REQUEST.timeseries:
        timeseries.push(readTimeSeries(r, enterMessage(r, wireType, 'Request.timeseries')));
        break;
      default:
        skipField(r, wireType);
    }
  }
  return { symbols, invalidSymbols, timeseries };
}

function readTimeSeries(r: Reader, end: number): SeriesV2Data {
  const labelsRefs: number[] = [];
  let samples: Sample[] | undefined;
  let histograms: NativeHistogram[] | undefined;
  let exemplars: ExemplarV2Data[] | undefined;
  let metadata = NO_METADATA;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V2_TIME_SERIES.labels_refs:
        readRepeated(r, wireType, WIRE_VARINT, readRef, labelsRefs, 'TimeSeries.labels_refs');
        break;
      case V2_TIME_SERIES.samples:
        (samples ??= []).push(readSample(r, enterMessage(r, wireType, 'TimeSeries.samples'), true));
        break;
      case V2_TIME_SERIES.histograms:
        (histograms ??= []).push(readNativeHistogram(r, enterMessage(r, wireType, 'TimeSeries.histograms'), true));
        break;
      case V2_TIME_SERIES.exemplars:
        (exemplars ??= []).push(readExemplar(r, enterMessage(r, wireType, 'TimeSeries.exemplars')));
        break;
      case V2_TIME_SERIES.metadata:
        // A message field seen twice is merged (protobuf semantics): later scalar values win, unset ones stay.
        metadata = readMetadata(r, enterMessage(r, wireType, 'TimeSeries.metadata'), metadata);
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'TimeSeries');
  return { labelsRefs, samples: samples ?? NONE, histograms: histograms ?? NONE, exemplars: exemplars ?? NONE, metadata };
}

function readExemplar(r: Reader, end: number): ExemplarV2Data {
  const labelsRefs: number[] = [];
  const point = readExemplarPoint(r, end, V2_EXEMPLAR.labels_refs, (wireType) => {
    readRepeated(r, wireType, WIRE_VARINT, readRef, labelsRefs, 'Exemplar.labels_refs');
  });
  return { labelsRefs, value: point.value, timestampMs: point.timestampMs };
}

function readMetadata(r: Reader, end: number, previous: MetadataV2Data): MetadataV2Data {
  let { type, helpRef, unitRef } = previous;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case V2_METADATA.type:
        type = int32Field(r, wireType, 'Metadata.type');
        break;
      case V2_METADATA.help_ref:
        helpRef = uint32Field(r, wireType, 'Metadata.help_ref');
        break;
      case V2_METADATA.unit_ref:
        unitRef = uint32Field(r, wireType, 'Metadata.unit_ref');
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'Metadata');
  return { type, helpRef, unitRef };
}
