/**
 * What every discovery offers the scrape manager: full snapshots of its target set, one whenever something
 * changed, so the manager diffs rather than applies deltas.
 */
import type { ScrapeTarget } from './scrape-target';

/** The complete target set of one discovery at one moment. */
export interface TargetSnapshot {
  /** Which discovery produced it (e.g. `static`, `kubernetes`); the manager keeps one set per source. */
  readonly source: string;
  readonly targets: readonly ScrapeTarget[];
}

/** A source of target snapshots. */
export interface Discovery {
  /** Starts discovering; `onSnapshot` receives every snapshot (the first once the initial state is known). */
  start(onSnapshot: (snapshot: TargetSnapshot) => void): Promise<void>;
  /** Stops; no snapshot is delivered afterwards. */
  stop(): Promise<void>;
}
