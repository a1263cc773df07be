/**
 * Reads one `Exemplar` message. 1.0 and 2.0 share the numbers of `value` and `timestamp`; field 1 holds the
 * labels, as `Label` messages (1.0) or as symbol references (2.0), and is read by the caller's `readLabels`.
 */
import type { Reader } from 'protobufjs';
import { doubleField, expectEnd, int64Field, skipField } from './proto-wire';
import { EXEMPLAR_POINT } from './remote-write-wire-fields';

/** Value and timestamp of the exemplar message that ends at `end`; field `labelsField` goes to `readLabels`. */
export function readExemplarPoint(r: Reader, end: number, labelsField: number, readLabels: (wireType: number) => void): { value: number; timestampMs: number } {
  let value = 0;
  let timestampMs = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === labelsField) readLabels(wireType);
    else if (field === EXEMPLAR_POINT.value) value = doubleField(r, wireType, 'Exemplar.value');
    else if (field === EXEMPLAR_POINT.timestamp) timestampMs = int64Field(r, wireType, 'Exemplar.timestamp');
    else skipField(r, wireType);
  }
  expectEnd(r, end, 'Exemplar');
  return { value, timestampMs };
}
