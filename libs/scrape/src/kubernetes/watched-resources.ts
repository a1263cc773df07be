/**
 * The collections the discovery lists and watches, cluster-wide or per namespace: their paths (for the
 * watch) and list calls through the client's typed APIs. These are exactly the RBAC needs: get/list/watch on
 * pods, services, endpoints, endpointslices.discovery.k8s.io, servicemonitors and podmonitors.monitoring.coreos.com.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Endpoints,
  type V1EndpointSlice,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import type { PodMonitor, ServiceMonitor } from './monitor-resources';
import type { WatchedResource } from './resilient-informer';

export const MONITORING_GROUP = 'monitoring.coreos.com';
export const MONITORING_VERSION = 'v1';

/** List+watch definitions per kind, for one namespace or (undefined) all. */
export interface ResourceCatalog {
  pods(namespace: string | undefined): WatchedResource<V1Pod>;
  services(namespace: string | undefined): WatchedResource<V1Service>;
  endpoints(namespace: string | undefined): WatchedResource<V1Endpoints>;
  endpointSlices(namespace: string | undefined): WatchedResource<V1EndpointSlice>;
  serviceMonitors(namespace: string | undefined): WatchedResource<ServiceMonitor>;
  podMonitors(namespace: string | undefined): WatchedResource<PodMonitor>;
}

export function resourceCatalog(kc: KubeConfig): ResourceCatalog {
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const path = (prefix: string, plural: string, ns: string | undefined): string => (ns === undefined ? `${prefix}/${plural}` : `${prefix}/namespaces/${ns}/${plural}`);
  const named = (plural: string, ns: string | undefined): string => (ns === undefined ? plural : `${plural} in ${ns}`);
  const monitors = <T extends KubernetesObject>(plural: string, ns: string | undefined): WatchedResource<T> => ({
    name: named(plural, ns),
    path: path(`/apis/${MONITORING_GROUP}/${MONITORING_VERSION}`, plural, ns),
    list: async (): Promise<KubernetesListObject<T>> =>
      (ns === undefined
        ? await custom.listClusterCustomObject({ group: MONITORING_GROUP, version: MONITORING_VERSION, plural })
        : await custom.listNamespacedCustomObject({ group: MONITORING_GROUP, version: MONITORING_VERSION, namespace: ns, plural })) as KubernetesListObject<T>,
  });
  return {
    pods: (ns) => ({ name: named('pods', ns), path: path('/api/v1', 'pods', ns), list: () => (ns === undefined ? core.listPodForAllNamespaces() : core.listNamespacedPod({ namespace: ns })) }),
    services: (ns) => ({ name: named('services', ns), path: path('/api/v1', 'services', ns), list: () => (ns === undefined ? core.listServiceForAllNamespaces() : core.listNamespacedService({ namespace: ns })) }),
    endpoints: (ns) => ({ name: named('endpoints', ns), path: path('/api/v1', 'endpoints', ns), list: () => (ns === undefined ? core.listEndpointsForAllNamespaces() : core.listNamespacedEndpoints({ namespace: ns })) }),
    endpointSlices: (ns) => ({
      name: named('endpointslices', ns),
      path: path('/apis/discovery.k8s.io/v1', 'endpointslices', ns),
      list: () => (ns === undefined ? discovery.listEndpointSliceForAllNamespaces() : discovery.listNamespacedEndpointSlice({ namespace: ns })),
    }),
    serviceMonitors: (ns) => monitors<ServiceMonitor>('servicemonitors', ns),
    podMonitors: (ns) => monitors<PodMonitor>('podmonitors', ns),
  };
}
