/**
 * Discovery from the Kubernetes API server: list+watch of the resources the enabled mechanisms need
 * (annotated pods, ServiceMonitors, PodMonitors), each restarted with backoff after errors. Whenever a cache
 * changes, the full target set is recomputed from the caches and, when it differs from the last one sent,
 * delivered as a snapshot; changes within `debounceMs` of the first go out together. The first snapshot
 * waits until every resource has listed once (or failed to, so a missing CRD holds nothing back).
 */
import type { KubernetesObject, V1Endpoints, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Discovery, TargetSnapshot } from '../discovery';
import type { ScrapeTarget } from '../scrape-target';
import { annotatedPodTargets } from './annotated-pod-targets';
import { resolveKubernetesDiscoveryOptions, type KubernetesDiscoveryOptions } from './kubernetes-discovery.config';
import type { PodMonitor, ServiceMonitor } from './monitor-resources';
import { podMonitorTargets } from './pod-monitor-targets';
import { ResilientInformer, type WatchedResource } from './resilient-informer';
import { backendsOfEndpoints, backendsOfSlice, SERVICE_NAME_LABEL, type ServiceBackend } from './service-endpoints';
import { serviceMonitorTargets } from './service-monitor-targets';
import { resourceCatalog } from './watched-resources';

/** `TargetSnapshot.source` of Kubernetes targets. */
export const KUBERNETES_SOURCE = 'kubernetes';

/** State of one watched resource. */
export interface WatchStatus {
  readonly resource: string;
  readonly synced: boolean;
  readonly errors: number;
}

type Informers<T extends KubernetesObject> = ResilientInformer<T>[];

export class KubernetesDiscovery implements Discovery {
  private readonly options: KubernetesDiscoveryOptions;
  private readonly pods: Informers<V1Pod> = [];
  private readonly services: Informers<V1Service> = [];
  private readonly endpoints: Informers<V1Endpoints> = [];
  private readonly slices: Informers<V1EndpointSlice> = [];
  private readonly serviceMonitors: Informers<ServiceMonitor> = [];
  private readonly podMonitors: Informers<PodMonitor> = [];
  private onSnapshot: ((snapshot: TargetSnapshot) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSent: string | undefined;

  constructor(options: Partial<KubernetesDiscoveryOptions> & Pick<KubernetesDiscoveryOptions, 'kubeConfig'>) {
    this.options = resolveKubernetesDiscoveryOptions(options);
    const o = this.options;
    const catalog = resourceCatalog(o.kubeConfig);
    const namespaces = o.namespaces.length === 0 ? [undefined] : [...o.namespaces];
    const watch = <T extends KubernetesObject>(into: Informers<T>, resource: (ns: string | undefined) => WatchedResource<T>): void => {
      for (const ns of namespaces) into.push(new ResilientInformer(o.kubeConfig, resource(ns), o.backoff, { onChange: () => this.changed(), onError: o.onError }));
    };
    if (o.annotatedPods || o.podMonitors) watch(this.pods, catalog.pods);
    if (o.serviceMonitors) {
      watch(this.services, catalog.services);
      if (o.endpointsApi === 'endpoints') watch(this.endpoints, catalog.endpoints);
      else watch(this.slices, catalog.endpointSlices);
      watch(this.serviceMonitors, catalog.serviceMonitors);
    }
    if (o.podMonitors) watch(this.podMonitors, catalog.podMonitors);
  }

  async start(onSnapshot: (snapshot: TargetSnapshot) => void): Promise<void> {
    this.onSnapshot = onSnapshot;
    for (const informer of this.all()) informer.start();
  }

  async stop(): Promise<void> {
    this.onSnapshot = undefined;
    clearTimeout(this.timer);
    await Promise.all(this.all().map((i) => i.stop()));
  }

  /** Per watched resource: synced, and errors so far. */
  status(): WatchStatus[] {
    return this.all().map((i) => ({ resource: i.resource.name, synced: i.synced, errors: i.errors }));
  }

  /** The targets the caches hold now. */
  targets(): ScrapeTarget[] {
    const o = this.options;
    const pods = cached(this.pods);
    const out: ScrapeTarget[] = [];
    if (o.annotatedPods) out.push(...annotatedPodTargets(pods, o.settings, o.annotatedPodsJob));
    if (o.serviceMonitors) out.push(...serviceMonitorTargets(cached(this.serviceMonitors), cached(this.services), this.backendIndex(), o.settings));
    if (o.podMonitors) out.push(...podMonitorTargets(cached(this.podMonitors), pods, o.settings));
    const byKey = new Map<string, ScrapeTarget>();
    for (const t of out) if (!byKey.has(t.key)) byKey.set(t.key, t);
    return [...byKey.values()];
  }

  private backendIndex(): (namespace: string, name: string) => readonly ServiceBackend[] {
    const index = new Map<string, ServiceBackend[]>();
    const add = (ns: string | undefined, name: string | undefined, backends: ServiceBackend[]): void => {
      const key = `${ns ?? ''}/${name ?? ''}`;
      index.set(key, [...(index.get(key) ?? []), ...backends]);
    };
    for (const e of cached(this.endpoints)) add(e.metadata?.namespace, e.metadata?.name, backendsOfEndpoints(e));
    for (const s of cached(this.slices)) add(s.metadata?.namespace, s.metadata?.labels?.[SERVICE_NAME_LABEL], backendsOfSlice(s));
    return (ns, name) => index.get(`${ns}/${name}`) ?? [];
  }

  private changed(): void {
    if (this.onSnapshot === undefined || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, this.options.debounceMs);
  }

  private send(): void {
    if (this.onSnapshot === undefined || !this.all().every((i) => i.synced)) return;
    const targets = this.targets().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const fingerprint = JSON.stringify(targets);
    if (fingerprint === this.lastSent) return;
    this.lastSent = fingerprint;
    this.onSnapshot({ source: KUBERNETES_SOURCE, targets });
  }

  private all(): ResilientInformer<KubernetesObject>[] {
    return [...this.pods, ...this.services, ...this.endpoints, ...this.slices, ...this.serviceMonitors, ...this.podMonitors] as ResilientInformer<KubernetesObject>[];
  }
}

function cached<T extends KubernetesObject>(informers: Informers<T>): T[] {
  return informers.flatMap((i) => [...i.list()]);
}
