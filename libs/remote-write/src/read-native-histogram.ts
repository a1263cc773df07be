/**
 * Reads one `Histogram` message (1.0 and 2.0 share its field numbers; `start_timestamp` exists in 2.0 only) into
 * the model. Which kind it is follows Prometheus's IsFloatHistogram: float when the `count` oneof holds
 * `count_float`, integer otherwise (also when neither is set). Oneofs keep the member read last, as protobuf
 * decoders do; an integer histogram reads `zero_count_int` and the deltas, a float one `zero_count_float` and
 * the counts, and each ignores the other kind's fields, as ToIntHistogram/ToFloatHistogram do.
 */
import type { Reader } from 'protobufjs';
import {
  doubleField,
  enterMessage,
  expectEnd,
  int32Field,
  int64Field,
  readRepeated,
  readSint64,
  sint32Field,
  skipField,
  uint32Field,
  uint64Field,
  WIRE_FIXED64,
  WIRE_VARINT,
} from './proto-wire';
import type { BucketSpan, HistogramResetHint, NativeHistogram } from './remote-write.model';
import { BUCKET_SPAN, HISTOGRAM } from './remote-write-wire-fields';

const RESET_HINTS: readonly HistogramResetHint[] = ['unknown', 'yes', 'no', 'gauge'];
const readDouble = (r: Reader): number => r.double();

/** Reads the histogram message that ends at `end`; `withStartTimestamp` for 2.0. */
export function readNativeHistogram(r: Reader, end: number, withStartTimestamp: boolean): NativeHistogram {
  let isFloat = false;
  let countInt = 0;
  let countFloat = 0;
  let zeroCountInt = 0;
  let zeroCountFloat = 0;
  let sum = 0;
  let schema = 0;
  let zeroThreshold = 0;
  let resetHint = 0;
  let timestampMs = 0;
  let startTimestampMs = 0;
  const positiveSpans: BucketSpan[] = [];
  const negativeSpans: BucketSpan[] = [];
  const positiveDeltas: number[] = [];
  const negativeDeltas: number[] = [];
  const positiveCounts: number[] = [];
  const negativeCounts: number[] = [];
  const customValues: number[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case HISTOGRAM.count_int:
        countInt = uint64Field(r, wireType, 'Histogram.count_int');
        countFloat = 0;
        isFloat = false;
        break;
      case HISTOGRAM.count_float:
        countFloat = doubleField(r, wireType, 'Histogram.count_float');
        countInt = 0;
        isFloat = true;
        break;
      case HISTOGRAM.sum:
        sum = doubleField(r, wireType, 'Histogram.sum');
        break;
      case HISTOGRAM.schema:
        schema = sint32Field(r, wireType, 'Histogram.schema');
        break;
      case HISTOGRAM.zero_threshold:
        zeroThreshold = doubleField(r, wireType, 'Histogram.zero_threshold');
        break;
      case HISTOGRAM.zero_count_int:
        zeroCountInt = uint64Field(r, wireType, 'Histogram.zero_count_int');
        zeroCountFloat = 0;
        break;
      case HISTOGRAM.zero_count_float:
        zeroCountFloat = doubleField(r, wireType, 'Histogram.zero_count_float');
        zeroCountInt = 0;
        break;
      case HISTOGRAM.negative_spans:
        negativeSpans.push(readBucketSpan(r, enterMessage(r, wireType, 'Histogram.negative_spans')));
        break;
      case HISTOGRAM.negative_deltas:
        readRepeated(r, wireType, WIRE_VARINT, readSint64, negativeDeltas, 'Histogram.negative_deltas');
        break;
      case HISTOGRAM.negative_counts:
        readRepeated(r, wireType, WIRE_FIXED64, readDouble, negativeCounts, 'Histogram.negative_counts');
        break;
      case HISTOGRAM.positive_spans:
        positiveSpans.push(readBucketSpan(r, enterMessage(r, wireType, 'Histogram.positive_spans')));
        break;
      case HISTOGRAM.positive_deltas:
        readRepeated(r, wireType, WIRE_VARINT, readSint64, positiveDeltas, 'Histogram.positive_deltas');
        break;
      case HISTOGRAM.positive_counts:
        readRepeated(r, wireType, WIRE_FIXED64, readDouble, positiveCounts, 'Histogram.positive_counts');
        break;
      case HISTOGRAM.reset_hint:
        resetHint = int32Field(r, wireType, 'Histogram.reset_hint');
        break;
      case HISTOGRAM.timestamp:
        timestampMs = int64Field(r, wireType, 'Histogram.timestamp');
        break;
      case HISTOGRAM.custom_values:
        readRepeated(r, wireType, WIRE_FIXED64, readDouble, customValues, 'Histogram.custom_values');
        break;
      case HISTOGRAM.start_timestamp:
        if (!withStartTimestamp) {
          skipField(r, wireType);
          break;
        }
        startTimestampMs = int64Field(r, wireType, 'Histogram.start_timestamp');
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'Histogram');
  // An unknown enum number is kept by proto3 decoders; Prometheus then treats it as "unknown".
  const hint = RESET_HINTS[resetHint] ?? 'unknown';
  const common = { timestampMs, startTimestampMs, schema, sum, zeroThreshold, resetHint: hint, positiveSpans, negativeSpans, customValues };
  return isFloat
    ? { kind: 'float', ...common, count: countFloat, zeroCount: zeroCountFloat, positiveCounts, negativeCounts }
    : { kind: 'integer', ...common, count: countInt, zeroCount: zeroCountInt, positiveDeltas, negativeDeltas };
}

function readBucketSpan(r: Reader, end: number): BucketSpan {
  let offset = 0;
  let length = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case BUCKET_SPAN.offset:
        offset = sint32Field(r, wireType, 'BucketSpan.offset');
        break;
      case BUCKET_SPAN.length:
        length = uint32Field(r, wireType, 'BucketSpan.length');
        break;
      default:
        skipField(r, wireType);
    }
  }
  expectEnd(r, end, 'BucketSpan');
  return { offset, length };
}
