// What every LogRecord on a Sextant topic must satisfy, whoever produced it (ingest, an agent, a third-party Avro
// producer): the rules the Avro schema cannot express. Stages check them on input and dead-letter violations.
import type { LogRecord } from './generated';

/**
 * Parse flag and attribute of a record whose own event time could not be kept (beyond what a LogRecord or the
 * logs table can hold, or outside its retention window): it is stored at its observed time, flagged, with the
 * original time as text in this attribute.
 */
export const TIMESTAMP_OUT_OF_RANGE_FLAG = 'timestamp_out_of_range';
export const ORIGINAL_TIMESTAMP_ATTRIBUTE = 'sextant.original_timestamp';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** Why `r` breaks the LogRecord contract, or null when it does not. */
export function logRecordContractViolation(r: LogRecord): string | null {
  if (typeof r.tenant !== 'string' || r.tenant === '') return 'record has no tenant';
  if (r.traceId !== '' && !TRACE_ID.test(r.traceId)) return `traceId ${JSON.stringify(r.traceId)} is not 32 lowercase hex digits`;
  if (r.spanId !== '' && !SPAN_ID.test(r.spanId)) return `spanId ${JSON.stringify(r.spanId)} is not 16 lowercase hex digits`;
  return null;
}
