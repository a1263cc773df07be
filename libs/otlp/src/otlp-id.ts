/**
 * Trace and span ids as OTLP carries them (bytes in protobuf, hex in OTLP/JSON): their length check and their
 * lowercase hex spelling, the same for log records and metric exemplars.
 */
import type { OtlpId } from './otlp-common.model';

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

const ALL_ZERO_HEX = /^0*$/;

/** Why the pair of ids is invalid (a length other than 0 or the id's size), or undefined when it is valid. */
export function checkOtlpIds(traceId: OtlpId, spanId: OtlpId): string | undefined {
  const traceBytes = idBytes(traceId);
  if (traceBytes !== 0 && traceBytes !== TRACE_ID_BYTES) {
    return `traceId has ${traceBytes} bytes, expected ${TRACE_ID_BYTES} (32 hex digits)`;
  }
  const spanBytes = idBytes(spanId);
  if (spanBytes !== 0 && spanBytes !== SPAN_ID_BYTES) {
    return `spanId has ${spanBytes} bytes, expected ${SPAN_ID_BYTES} (16 hex digits)`;
  }
  return undefined;
}

function idBytes(id: OtlpId): number {
  return typeof id === 'string' ? id.length / 2 : id.length;
}

/** Lowercase hex, or '' for an absent or all-zero id (the spec calls an all-zero id invalid, i.e. unset). */
export function otlpIdToHex(id: OtlpId): string {
  if (typeof id === 'string') return ALL_ZERO_HEX.test(id) ? '' : id;
  if (id.every((b) => b === 0)) return '';
  return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
