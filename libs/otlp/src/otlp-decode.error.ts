/**
 * The two ways an OTLP logs request can fail as a whole. OtlpDecodeError means the body is not a valid
 * ExportLogsServiceRequest (the HTTP layer answers 400 with a google.rpc.Status); OtlpTooManyRecordsError means
 * it is valid but holds more log records than the caller allows (a limit, not a malformation, so it is a
 * separate class the HTTP layer can map to 413). Records that are individually invalid never throw: they are
 * counted as rejected (OTLP partial success).
 */

/** The request body is not a well-formed OTLP logs export request. The message says where and why. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/** The request holds more log records than `maxRecords`. Nothing of it was accepted. */
export class OtlpTooManyRecordsError extends Error {
  override readonly name = 'OtlpTooManyRecordsError';

  constructor(
    /** Log records in the request. */
    readonly count: number,
    /** The limit it exceeded. */
    readonly limit: number,
  ) {
    super(`request holds ${count} log records, more than the limit of ${limit}`);
  }
}
