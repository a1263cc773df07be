/**
 * The scrape target: everything one scrape loop needs to know about one endpoint, whichever discovery found
 * it. Times are milliseconds. `labels` are the target labels put on every scraped series (`job` and
 * `instance` included), sorted by name; `key` identifies the target across discovery snapshots.
 */
import type { Label, ScrapeProtocol } from '@sextant/exposition';
import { sortLabels } from '@sextant/exposition';

export type ScrapeScheme = 'http' | 'https';

/** One endpoint to scrape, as a discovery produced it. */
export interface ScrapeTarget {
  /** Stable identity: job, URL and target labels. Two targets with the same key are the same target. */
  readonly key: string;
  /** The job (`job_name`); also the `job` label unless a discovery set another. */
  readonly job: string;
  readonly scheme: ScrapeScheme;
  /** `host:port` (or a bare host). */
  readonly address: string;
  /** Path of the metrics endpoint, starting with `/`. */
  readonly metricsPath: string;
  /** URL query parameters (`params`), each name with its values in order. */
  readonly params: Readonly<Record<string, readonly string[]>>;
  /** Target labels, sorted by name; `job` and `instance` are always present. */
  readonly labels: readonly Label[];
  /** Scrape interval, ms > 0. */
  readonly intervalMs: number;
  /** Scrape timeout, ms, 0 < timeout ≤ interval. */
  readonly timeoutMs: number;
  /** Most samples one scrape may store; more fail the scrape. 0 = none. */
  readonly sampleLimit: number;
  /** Most labels a series may have (`__name__` included). 0 = none. */
  readonly labelLimit: number;
  /** Longest label name in UTF-8 bytes. 0 = none. */
  readonly labelNameLengthLimit: number;
  /** Longest label value in UTF-8 bytes. 0 = none. */
  readonly labelValueLengthLimit: number;
  /** Uncompressed body size at which the scrape fails. 0 = none. */
  readonly bodySizeLimitBytes: number;
  /** Scraped labels win over target labels (`honor_labels`). */
  readonly honorLabels: boolean;
  /** Timestamps in the exposition are kept (`honor_timestamps`); otherwise the scrape time is used. */
  readonly honorTimestamps: boolean;
  /** Protocol assumed when the Content-Type is missing or unknown (`fallback_scrape_protocol`). */
  readonly fallbackProtocol?: ScrapeProtocol;
}

/** The per-scrape settings a discovery takes from its configuration; defaults in `DEFAULT_SCRAPE_SETTINGS`. */
export type ScrapeSettings = Pick<
  ScrapeTarget,
  'intervalMs' | 'timeoutMs' | 'sampleLimit' | 'labelLimit' | 'labelNameLengthLimit' | 'labelValueLengthLimit' | 'bodySizeLimitBytes' | 'honorLabels' | 'honorTimestamps'
> & { readonly fallbackProtocol?: ScrapeProtocol };

/** Prometheus's defaults: 1 m interval, 10 s timeout, no limits, honor_labels false, honor_timestamps true. */
export const DEFAULT_SCRAPE_SETTINGS: ScrapeSettings = Object.freeze({
  intervalMs: 60_000,
  timeoutMs: 10_000,
  sampleLimit: 0,
  labelLimit: 0,
  labelNameLengthLimit: 0,
  labelValueLengthLimit: 0,
  bodySizeLimitBytes: 0,
  honorLabels: false,
  honorTimestamps: true,
});

/** What a discovery knows of a target before `makeTarget` adds the key and the `job`/`instance` labels. */
export interface TargetSpec {
  readonly job: string;
  readonly scheme: ScrapeScheme;
  readonly address: string;
  readonly metricsPath: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  /** Extra target labels; `job` and `instance` here override the defaults (job name, address). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly settings: ScrapeSettings;
}

/** A complete, frozen target from a spec: labels sorted, `job`/`instance` filled in, key computed. */
export function makeTarget(spec: TargetSpec): ScrapeTarget {
  const labelMap: Record<string, string> = { job: spec.job, instance: spec.address, ...spec.labels };
  const labels = Object.freeze(sortLabels(Object.entries(labelMap).filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }))));
  const params = Object.freeze({ ...(spec.params ?? {}) });
  const base = { job: spec.job, scheme: spec.scheme, address: spec.address, metricsPath: spec.metricsPath, params, labels };
  return Object.freeze({ ...base, key: targetKey(base), ...spec.settings });
}

/** `job|scheme://address/path?params{labels}`: what Prometheus hashes a target by (its labels and URL). */
export function targetKey(t: Pick<ScrapeTarget, 'job' | 'scheme' | 'address' | 'metricsPath' | 'params' | 'labels'>): string {
  return `${t.job}|${targetUrl(t)}{${t.labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',')}}`;
}

/** The URL a target is scraped at. */
export function targetUrl(t: Pick<ScrapeTarget, 'scheme' | 'address' | 'metricsPath' | 'params'>): string {
  const query = new URLSearchParams();
  for (const name of Object.keys(t.params).sort()) for (const value of t.params[name] ?? []) query.append(name, value);
  const search = query.toString();
  return `${t.scheme}://${t.address}${t.metricsPath}${search === '' ? '' : `?${search}`}`;
}

/** Whether two targets of one key scrape alike (same settings); a changed target restarts its loop. */
export function sameTargetSettings(a: ScrapeTarget, b: ScrapeTarget): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
