// Open windows indexed by the watermark (ms) at which they close, so that closing touches only the windows
// that are due and never scans every series. Close times are multiples of the resolutions plus the lateness,
// so there are few distinct ones; they are kept sorted.
import type { Series } from './series-state';
import type { WindowState } from './window';

export interface WindowRef {
  series: Series;
  resolution: number;
  window: WindowState;
}

export class WindowIndex {
  private readonly byCloseAt = new Map<number, WindowRef[]>();
  private readonly times: number[] = [];

  add(closeAt: number, ref: WindowRef): void {
    let refs = this.byCloseAt.get(closeAt);
    if (refs === undefined) {
      refs = [];
      this.byCloseAt.set(closeAt, refs);
      let i = this.times.length;
      while (i > 0 && this.times[i - 1] > closeAt) i--;
      this.times.splice(i, 0, closeAt);
    }
    refs.push(ref);
  }

  /** Smallest close time held, Infinity when empty. */
  next(): number {
    return this.times.length > 0 ? this.times[0] : Infinity;
  }

  /** Removes and returns the windows whose close time is ≤ watermarkMs. */
  takeDue(watermarkMs: number): WindowRef[] {
    const due: WindowRef[] = [];
    while (this.times.length > 0 && this.times[0] <= watermarkMs) {
      const t = this.times.shift() as number;
      for (const ref of this.byCloseAt.get(t) ?? []) due.push(ref);
      this.byCloseAt.delete(t);
    }
    return due;
  }

  clear(): void {
    this.byCloseAt.clear();
    this.times.length = 0;
  }
}
