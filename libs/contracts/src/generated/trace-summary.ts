// Generated from schemas/trace-summary.avsc by tools/avro-codegen.mjs. Do not edit.
/** How the assembler judged the trace when it released it. */
export type TraceCompleteness = 'COMPLETE' | 'INCOMPLETE_NO_ROOT' | 'INCOMPLETE_TIMEOUT' | 'LATE_UPDATE';
/** Outcome of tail sampling. */
export type SamplingDecision = 'SAMPLED' | 'NOT_SAMPLED';
/** One assembled trace, as the assembler released it. Value schema of the traces topic. Emitted for every trace, kept or dropped by tail sampling, so that counts stay true; late spans produce a new version with completeness LATE_UPDATE, and consumers keep the highest version. */
export interface TraceSummary {
  /** Tenant the trace belongs to. */
  tenant: string;
  /** Trace id as 32 lowercase hex digits. */
  traceId: string;
  /** Service of the root span, empty when the root was not seen. */
  rootServiceName: string;
  /** Name of the root span, empty when the root was not seen. */
  rootSpanName: string;
  /** Earliest span start, nanoseconds since the Unix epoch. */
  startTimeUnixNano: bigint;
  /** Latest span end, nanoseconds since the Unix epoch. */
  endTimeUnixNano: bigint;
  /** endTimeUnixNano - startTimeUnixNano, nanoseconds. */
  durationNano: bigint;
  /** Spans assembled into the trace so far (including late ones). */
  spanCount: number;
  /** Spans with status ERROR. */
  errorCount: number;
  /** Distinct service names of the spans, sorted. */
  services: string[];
  /** COMPLETE: the root span ended and the trace went quiet. INCOMPLETE_NO_ROOT: released without ever seeing a root span. INCOMPLETE_TIMEOUT: the root was seen but spans were still arriving at the maximum wait. LATE_UPDATE: spans arrived after release; this version includes them. */
  completeness: TraceCompleteness;
  /** SAMPLED: the spans went to the spans topic. NOT_SAMPLED: only this summary was kept. */
  samplingDecision: SamplingDecision;
  /** Name of the tail sampling policy that decided (empty when sampling is off). */
  samplingPolicy: string;
  /** Spans that arrived after the first release. */
  lateSpanCount: number;
  /** 1 for the first release, incremented with each late update. */
  version: number;
  /** When the assembler released this version, milliseconds since the Unix epoch. */
  releasedAtMs: bigint;
}
/** The Avro schema of schemas/trace-summary.avsc, as registered for its topics. */
export const TRACE_SUMMARY_SCHEMA = {
  "type": "record",
  "name": "TraceSummary",
  "namespace": "io.sextant.traces",
  "doc": "One assembled trace, as the assembler released it. Value schema of the traces topic. Emitted for every trace, kept or dropped by tail sampling, so that counts stay true; late spans produce a new version with completeness LATE_UPDATE, and consumers keep the highest version.",
  "fields": [
    {
      "name": "tenant",
      "type": "string",
      "doc": "Tenant the trace belongs to."
    },
    {
      "name": "traceId",
      "type": "string",
      "doc": "Trace id as 32 lowercase hex digits."
    },
    {
      "name": "rootServiceName",
      "type": "string",
      "default": "",
      "doc": "Service of the root span, empty when the root was not seen."
    },
    {
      "name": "rootSpanName",
      "type": "string",
      "default": "",
      "doc": "Name of the root span, empty when the root was not seen."
    },
    {
      "name": "startTimeUnixNano",
      "type": "long",
      "doc": "Earliest span start, nanoseconds since the Unix epoch."
    },
    {
      "name": "endTimeUnixNano",
      "type": "long",
      "doc": "Latest span end, nanoseconds since the Unix epoch."
    },
    {
      "name": "durationNano",
      "type": "long",
      "doc": "endTimeUnixNano - startTimeUnixNano, nanoseconds."
    },
    {
      "name": "spanCount",
      "type": "int",
      "doc": "Spans assembled into the trace so far (including late ones)."
    },
    {
      "name": "errorCount",
      "type": "int",
      "default": 0,
      "doc": "Spans with status ERROR."
    },
    {
      "name": "services",
      "type": {
        "type": "array",
        "items": "string"
      },
      "default": [],
      "doc": "Distinct service names of the spans, sorted."
    },
    {
      "name": "completeness",
      "type": {
        "type": "enum",
        "name": "TraceCompleteness",
        "doc": "How the assembler judged the trace when it released it.",
        "symbols": [
          "COMPLETE",
          "INCOMPLETE_NO_ROOT",
          "INCOMPLETE_TIMEOUT",
          "LATE_UPDATE"
        ]
      },
      "doc": "COMPLETE: the root span ended and the trace went quiet. INCOMPLETE_NO_ROOT: released without ever seeing a root span. INCOMPLETE_TIMEOUT: the root was seen but spans were still arriving at the maximum wait. LATE_UPDATE: spans arrived after release; this version includes them."
    },
    {
      "name": "samplingDecision",
      "type": {
        "type": "enum",
        "name": "SamplingDecision",
        "doc": "Outcome of tail sampling.",
        "symbols": [
          "SAMPLED",
          "NOT_SAMPLED"
        ]
      },
      "default": "SAMPLED",
      "doc": "SAMPLED: the spans went to the spans topic. NOT_SAMPLED: only this summary was kept."
    },
    {
      "name": "samplingPolicy",
      "type": "string",
      "default": "",
      "doc": "Name of the tail sampling policy that decided (empty when sampling is off)."
    },
    {
      "name": "lateSpanCount",
      "type": "int",
      "default": 0,
      "doc": "Spans that arrived after the first release."
    },
    {
      "name": "version",
      "type": "int",
      "default": 1,
      "doc": "1 for the first release, incremented with each late update."
    },
    {
      "name": "releasedAtMs",
      "type": "long",
      "default": 0,
      "doc": "When the assembler released this version, milliseconds since the Unix epoch."
    }
  ]
} as const;
