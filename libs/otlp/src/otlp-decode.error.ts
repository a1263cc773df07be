/**
 * The ways an OTLP export request can fail as a whole. OtlpDecodeError means the body is not a valid
 * Export*ServiceRequest (the HTTP layer answers 400 with a google.rpc.Status); OtlpTooManyRecordsError and
 * OtlpTooManyDataPointsError mean it is valid but holds more log records or metric data points than the caller
 * allows (a limit, not a malformation, so they are separate classes the HTTP layer can map to 413). Items that
 * are individually invalid never throw: they are counted as rejected (OTLP partial success).
 */

/** The request body is not a well-formed OTLP export request. The message says where and why. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/** The request holds more items than the caller's limit allows. Nothing of it was accepted. */
export abstract class OtlpTooManyItemsError extends Error {
  constructor(
    /** Items (log records, data points) in the request. */
    readonly count: number,
    /** The limit it exceeded. */
    readonly limit: number,
    items: string,
  ) {
    super(`request holds ${count} ${items}, more than the limit of ${limit}`);
  }
}

/** The request holds more log records than `maxRecords`. */
export class OtlpTooManyRecordsError extends OtlpTooManyItemsError {
  override readonly name = 'OtlpTooManyRecordsError';

  constructor(count: number, limit: number) {
    super(count, limit, 'log records');
  }
}

/** The request holds more metric data points (over all metrics of every type) than `maxDataPoints`. */
export class OtlpTooManyDataPointsError extends OtlpTooManyItemsError {
  override readonly name = 'OtlpTooManyDataPointsError';

  constructor(count: number, limit: number) {
    super(count, limit, 'metric data points');
  }
}
