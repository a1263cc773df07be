/** Configuration of the Kubernetes discovery, with its defaults and validation. */
import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_SCRAPE_SETTINGS, type ScrapeSettings } from '../scrape-target';
import { ANNOTATED_PODS_JOB } from './annotated-pod-targets';
import type { BackoffOptions } from './resilient-informer';

/** Which API lists the addresses behind Services. */
export type EndpointsApi = 'endpointslice' | 'endpoints';

export interface KubernetesDiscoveryOptions {
  /** How to reach the API server (in a pod: `kc.loadFromCluster()`). */
  readonly kubeConfig: KubeConfig;
  /** Namespaces to watch; empty = all (cluster-wide list/watch). Default []. */
  readonly namespaces: readonly string[];
  /** Scrape pods annotated `prometheus.io/scrape: "true"`. Default true. */
  readonly annotatedPods: boolean;
  /** Job name of annotated pods. Default `kubernetes-pods`. */
  readonly annotatedPodsJob: string;
  /** Follow ServiceMonitors (monitoring.coreos.com/v1). Default true. */
  readonly serviceMonitors: boolean;
  /** Follow PodMonitors (monitoring.coreos.com/v1). Default true. */
  readonly podMonitors: boolean;
  /** Where Service addresses come from. Default `endpointslice`. */
  readonly endpointsApi: EndpointsApi;
  /** Settings of targets that do not set their own (interval, timeout, limits). Default Prometheus's. */
  readonly settings: ScrapeSettings;
  /** A snapshot goes out at most this long after the first change that made it (changes batch). Default 1000. */
  readonly debounceMs: number;
  /** Restart backoff after list/watch errors. Default 500 ms doubling to 30 s. */
  readonly backoff: BackoffOptions;
  /** Told about every list/watch error (the discovery retries by itself). Default: ignore. */
  readonly onError: (resource: string, err: unknown) => void;
}

export const DEFAULT_KUBERNETES_DISCOVERY_OPTIONS: Omit<KubernetesDiscoveryOptions, 'kubeConfig'> = Object.freeze({
  namespaces: [],
  annotatedPods: true,
  annotatedPodsJob: ANNOTATED_PODS_JOB,
  serviceMonitors: true,
  podMonitors: true,
  endpointsApi: 'endpointslice',
  settings: DEFAULT_SCRAPE_SETTINGS,
  debounceMs: 1000,
  backoff: Object.freeze({ initialMs: 500, maxMs: 30_000 }),
  onError: () => undefined,
});

/** The defaults overlaid with `options`, validated; throws an Error naming every invalid field. */
export function resolveKubernetesDiscoveryOptions(options: Partial<KubernetesDiscoveryOptions> & Pick<KubernetesDiscoveryOptions, 'kubeConfig'>): KubernetesDiscoveryOptions {
  const o: KubernetesDiscoveryOptions = { ...DEFAULT_KUBERNETES_DISCOVERY_OPTIONS, ...options };
  const problems: string[] = [];
  if (!Number.isSafeInteger(o.debounceMs) || o.debounceMs < 0) problems.push(`debounceMs must be an integer ≥ 0, got ${o.debounceMs}`);
  if (!Number.isSafeInteger(o.backoff.initialMs) || o.backoff.initialMs < 1) problems.push(`backoff.initialMs must be an integer ≥ 1, got ${o.backoff.initialMs}`);
  if (!Number.isSafeInteger(o.backoff.maxMs) || o.backoff.maxMs < o.backoff.initialMs) problems.push(`backoff.maxMs must be an integer ≥ backoff.initialMs, got ${o.backoff.maxMs}`);
  if (o.endpointsApi !== 'endpointslice' && o.endpointsApi !== 'endpoints') problems.push(`endpointsApi must be endpointslice or endpoints, got ${String(o.endpointsApi)}`);
  if (o.annotatedPodsJob === '') problems.push('annotatedPodsJob must not be empty');
  if (o.namespaces.some((ns) => ns === '')) problems.push('namespaces must not contain an empty name');
  if (problems.length > 0) throw new Error(`invalid Kubernetes discovery options: ${problems.join('; ')}`);
  return o;
}
