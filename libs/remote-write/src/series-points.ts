/**
 * What the two protocol versions share once labels are settled: the out-of-bounds rule for timestamps
 * (Prometheus's timeLimitAppenderV2: a sample, histogram or exemplar later than the receiver's clock plus
 * maxAheadTime is "out of bounds: timestamp is too far in the future"), and keeping the valid items of a list
 * without copying it when all are valid, the usual case.
 */
import type { RemoteWriteProblem } from './remote-write.model';

/** Prometheus's error text for a timestamp past `latestMs`, or undefined when it is not. */
export function futureProblem(timestampMs: number, latestMs: number): string | undefined {
  return timestampMs > latestMs ? `out of bounds: timestamp ${timestampMs} is too far in the future (latest accepted ${latestMs})` : undefined;
}

/** `items` itself when `problemOf` finds nothing, else a copy without the items it refuses (each reported). */
export function keepValid<T>(items: T[], problemOf: (item: T) => string | undefined, report: (item: T, index: number, problem: string) => void): T[] {
  let kept: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const problem = problemOf(item);
    if (problem !== undefined) {
      report(item, i, problem);
      kept ??= items.slice(0, i);
    } else if (kept !== undefined) {
      kept.push(item);
    }
  }
  return kept ?? items;
}

/** A problem record. */
export function problem(seriesIndex: number, message: string, badRequest: boolean, samples: number, histograms: number, exemplars: number): RemoteWriteProblem {
  return { seriesIndex, message, dropped: { samples, histograms, exemplars }, badRequest };
}
