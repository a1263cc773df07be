/**
 * What the two protocol versions share once labels are settled: the out-of-bounds rule for timestamps
 * (Prometheus's timeLimitAppenderV2: a sample, histogram or exemplar later than the receiver's clock plus
 * maxAheadTime is "out of bounds: timestamp is too far in the future"), and keeping the valid items of a list
 * without copying it when all are valid, the usual case.
 */
import type { Label, RemoteWriteProblem } from './remote-write.model';
import { formatLabels } from './validate-series-labels';

/** Prometheus's error text for a timestamp past `latestMs`, or undefined when it is not. */
export function futureProblem(timestampMs: number, latestMs: number): string | undefined {
  return timestampMs > latestMs ? `out of bounds: timestamp ${timestampMs} is too far in the future (latest accepted ${latestMs})` : undefined;
}

/**
 * The one empty list every series without histograms (or exemplars, or samples) shares: most series have none,
 * and an array per series and kind is garbage the collector would have to sweep. Frozen, so it stays empty.
 */
export const NONE: readonly never[] = Object.freeze([]);

/** `items` itself when `problemOf` finds nothing, else a copy without the items it refuses (each reported). */
export function keepValid<T>(items: readonly T[], problemOf: (item: T) => string | undefined, report: (item: T, index: number, problem: string) => void): readonly T[] {
  let kept: T[] | undefined;
  if (items.length === 0) return items;
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

/** Whether any point is later than `latestMs` (the cheap test before filtering). */
export function anyLaterThan(points: readonly { readonly timestampMs: number }[], latestMs: number): boolean {
  for (let i = 0; i < points.length; i++) if ((points[i] as { timestampMs: number }).timestampMs > latestMs) return true;
  return false;
}

/** `series N {labels}`, the prefix of a problem message about part of a series. */
export function seriesWhere(index: number, labels: readonly Label[]): string {
  return `series ${index} ${formatLabels(labels)}`;
}

/** A problem record. */
export function problem(seriesIndex: number, message: string, badRequest: boolean, samples: number, histograms: number, exemplars: number): RemoteWriteProblem {
  return { seriesIndex, message, dropped: { samples, histograms, exemplars }, badRequest };
}
