/**
 * Reads one `Sample` message; 1.0 and 2.0 share its field numbers, `start_timestamp` exists in 2.0 only (in a
 * 1.0 message, field 3 is unknown and skipped).
 */
import type { Reader } from 'protobufjs';
import { doubleField, expectEnd, int64Field, skipField } from './proto-wire';
import type { Sample } from './remote-write.model';
import { SAMPLE } from './remote-write-wire-fields';

/** Reads the sample message that ends at `end`; `withStartTimestamp` for 2.0. */
export function readSample(r: Reader, end: number, withStartTimestamp: boolean): Sample {
  let value = 0;
  let timestampMs = 0;
  let startTimestampMs = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === SAMPLE.value) value = doubleField(r, wireType, 'Sample.value');
    else if (field === SAMPLE.timestamp) timestampMs = int64Field(r, wireType, 'Sample.timestamp');
    else if (field === SAMPLE.start_timestamp && withStartTimestamp) startTimestampMs = int64Field(r, wireType, 'Sample.start_timestamp');
    else skipField(r, wireType);
  }
  expectEnd(r, end, 'Sample');
  return { timestampMs, value, startTimestampMs };
}
