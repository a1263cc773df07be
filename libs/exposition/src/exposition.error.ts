/**
 * The one error parsing raises. A scrape whose body fails to parse fails as a whole (Prometheus reports the
 * target down and keeps none of its samples), so the first problem ends the parse; `line` says where it is.
 */
export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';

  /**
   * @param reason what is wrong, worded as Prometheus words it where it has a word for it
   * @param line 1-based line of the body the problem is on; absent for problems of the body as a whole
   */
  constructor(
    readonly reason: string,
    readonly line?: number,
  ) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
  }
}
