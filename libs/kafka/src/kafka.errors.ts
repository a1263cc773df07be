/**
 * The errors the Kafka transport throws at its callers. Each names a situation the caller reacts to
 * differently: back off and retry (BackpressureError → HTTP 429), report the dependency down
 * (KafkaUnavailableError, RegistryUnavailableError → HTTP 503), fix the schema (SchemaIncompatibleError),
 * dead-letter the input (UndecodableRecordError), or fix the configuration (KafkaConfigError).
 */

/** A configuration value is out of range or contradicts another; `problems` lists each in words. */
export class KafkaConfigError extends Error {
  override readonly name = 'KafkaConfigError';
  constructor(
    readonly section: string,
    readonly problems: string[],
  ) {
    super(`invalid ${section} configuration: ${problems.join('; ')}`);
  }
}

/** The producer's buffer is full; nothing of the rejected call was buffered. Retry after `retryAfterMs`. */
export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** Kafka did not acknowledge in time (unreachable, leaderless, or the producer is closed). The records may or may not have been written. */
export class KafkaUnavailableError extends Error {
  override readonly name = 'KafkaUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One record is larger than the producer's maxBatchBytes; it can never be sent. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
  constructor(
    readonly recordBytes: number,
    readonly maxBytes: number,
  ) {
    super(`record of ${recordBytes} bytes exceeds the producer's maxBatchBytes (${maxBytes})`);
  }
}

/** The registry refused a schema because it breaks the subject's compatibility rule. */
export class SchemaIncompatibleError extends Error {
  override readonly name = 'SchemaIncompatibleError';
  constructor(
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`schema is incompatible with subject ${subject}: ${message}`, options);
  }
}

/** The registry could not be reached or answered with a server error; retry later. */
export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** These bytes will never decode: wrong magic byte, too short, unknown schema id, or Avro that does not parse. */
export class UndecodableRecordError extends Error {
  override readonly name = 'UndecodableRecordError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The outcome of a Kafka transaction is unknown or its producer had to be rebuilt (a failed commit or abort,
 * fencing): the records of the batch may or may not be committed downstream. Retrying them locally could
 * duplicate; the consumer must instead re-read the partition from the group's committed offset.
 */
export class RefetchRequiredError extends Error {
  override readonly name = 'RefetchRequiredError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A transaction was aborted on purpose, not committed: the caller's signal fired (the partition was revoked
 * or the drain deadline passed) before the commit. Nothing of it is visible downstream; whoever owns the
 * partition now redoes the work.
 */
export class TransactionCancelledError extends Error {
  override readonly name = 'TransactionCancelledError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
