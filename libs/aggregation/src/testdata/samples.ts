// Builders of MetricSample records for the engine's tests and benchmark.
import type { MetricSample } from '@sextant/contracts';

export const SECOND_NS = 1_000_000_000n;
/** A recent time aligned to 60 s (and so to 10 s) windows. */
export const T0_NS = 1_699_999_980n * SECOND_NS;

export function sample(overrides: Partial<MetricSample> = {}): MetricSample {
  return {
    tenant: 't1',
    name: 'm',
    description: '',
    unit: '',
    type: 'GAUGE',
    temporality: 'UNSPECIFIED',
    isMonotonic: false,
    attributes: {},
    resource: {},
    serviceName: '',
    scopeName: '',
    scopeVersion: '',
    startTimeUnixNano: 0n,
    timeUnixNano: T0_NS,
    value: 0,
    histogram: null,
    exponentialHistogram: null,
    summary: null,
    exemplars: [],
    flags: 0,
    source: 'test',
    ...overrides,
  };
}

/** Time `seconds` after T0 (fractions allowed down to ms). */
export function at(seconds: number): bigint {
  return T0_NS + BigInt(Math.round(seconds * 1000)) * 1_000_000n;
}

/** A small deterministic PRNG (xorshift32) so property tests replay from their seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
