// Generated from schemas/dead-letter.avsc by tools/avro-codegen.mjs. Do not edit.
/** A record a stage could not process, with everything needed to inspect and replay it. Value schema of the deadletter topic. */
export interface DeadLetter {
  /** Stage that gave up: ingest, parser, sink, ... */
  stage: string;
  /** Why, in words (decoder or validation message). */
  reason: string;
  /** Machine-readable class: undecodable, invalid, too_large, rejected, ... */
  errorKind: string;
  /** Topic the record was read from (empty for HTTP input). */
  topic: string;
  /** Partition it was read from, -1 when none. */
  partition: number;
  /** Offset it was read from, -1 when none. */
  offset: bigint;
  /** Position of the record in its batch envelope (LogBatch.records), -1 when the message held one record or is dead-lettered whole. The value is then that one record alone, framed as a single record of the topic's record schema, so it can be replayed. */
  index: number;
  /** Original key bytes. */
  key: Buffer | null;
  /** Original value bytes, unchanged. */
  value: Buffer | null;
  /** Original headers (values as UTF-8, or base64 with a b64: prefix when not text). */
  headers: Record<string, string>;
  /** Original record timestamp, milliseconds since the Unix epoch. */
  timestampMs: bigint;
  /** When the stage gave up, milliseconds since the Unix epoch. */
  failedAtMs: bigint;
  /** Tenant when known. */
  tenant: string;
}
/** The Avro schema of schemas/dead-letter.avsc, as registered for its topics. */
export const DEAD_LETTER_SCHEMA = {
  "type": "record",
  "name": "DeadLetter",
  "namespace": "io.sextant.deadletter",
  "doc": "A record a stage could not process, with everything needed to inspect and replay it. Value schema of the deadletter topic.",
  "fields": [
    {
      "name": "stage",
      "type": "string",
      "doc": "Stage that gave up: ingest, parser, sink, ..."
    },
    {
      "name": "reason",
      "type": "string",
      "doc": "Why, in words (decoder or validation message)."
    },
    {
      "name": "errorKind",
      "type": "string",
      "default": "",
      "doc": "Machine-readable class: undecodable, invalid, too_large, rejected, ..."
    },
    {
      "name": "topic",
      "type": "string",
      "default": "",
      "doc": "Topic the record was read from (empty for HTTP input)."
    },
    {
      "name": "partition",
      "type": "int",
      "default": -1,
      "doc": "Partition it was read from, -1 when none."
    },
    {
      "name": "offset",
      "type": "long",
      "default": -1,
      "doc": "Offset it was read from, -1 when none."
    },
    {
      "name": "index",
      "type": "int",
      "default": -1,
      "doc": "Position of the record in its batch envelope (LogBatch.records), -1 when the message held one record or is dead-lettered whole. The value is then that one record alone, framed as a single record of the topic's record schema, so it can be replayed."
    },
    {
      "name": "key",
      "type": [
        "null",
        "bytes"
      ],
      "default": null,
      "doc": "Original key bytes."
    },
    {
      "name": "value",
      "type": [
        "null",
        "bytes"
      ],
      "default": null,
      "doc": "Original value bytes, unchanged."
    },
    {
      "name": "headers",
      "type": {
        "type": "map",
        "values": "string"
      },
      "default": {},
      "doc": "Original headers (values as UTF-8, or base64 with a b64: prefix when not text)."
    },
    {
      "name": "timestampMs",
      "type": "long",
      "default": 0,
      "doc": "Original record timestamp, milliseconds since the Unix epoch."
    },
    {
      "name": "failedAtMs",
      "type": "long",
      "doc": "When the stage gave up, milliseconds since the Unix epoch."
    },
    {
      "name": "tenant",
      "type": "string",
      "default": "",
      "doc": "Tenant when known."
    }
  ]
} as const;
