/**
 * The tally behind an OTLP partial success: how many items (log records, data points) were left out, and why,
 * keeping at most MAX_REPORTED_ERRORS reasons so a request of a million bad items yields a short message.
 */

/** At most this many rejection reasons are returned; the count still covers them all. */
export const MAX_REPORTED_ERRORS = 20;

export class OtlpRejections {
  /** Items rejected so far. */
  count = 0;
  /** The first MAX_REPORTED_ERRORS reasons. */
  readonly errors: string[] = [];

  /** Records `items` rejected items (1 by default) for one reason. */
  reject(reason: string, items = 1): void {
    this.count += items;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(reason);
  }
}
