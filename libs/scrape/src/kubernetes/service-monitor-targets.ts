/**
 * Targets of ServiceMonitors, as the Prometheus Operator generates their scrape configurations: the Services
 * in the selected namespaces whose labels match `spec.selector`; for each `spec.endpoints[i]`, every backend
 * address of such a Service on the matching port: the Service port named `port`, else the backend port
 * numbered `targetPort` (or the Service port whose targetPort is that name), else every port. Job name
 * `serviceMonitor/<namespace>/<name>/<i>`; target labels `namespace`, `service`, `endpoint`, `pod`, `node`
 * and `job` (the Service name, or the value of its `jobLabel` label), plus the `targetLabels` of the Service.
 */
import type { V1Service } from '@kubernetes/client-node';
import { makeTarget, type ScrapeSettings, type ScrapeTarget } from '../scrape-target';
import { labelsMatch } from './label-selector';
import { namespaceSelected, type ServiceMonitor, type ServiceMonitorEndpoint } from './monitor-resources';
import { copiedLabels, hostPort, schemeOf, settingsWith } from './monitor-settings';
import type { BackendPort, ServiceBackend } from './service-endpoints';

/** Backends of the Service `name` in `namespace`. */
export type BackendsOf = (namespace: string, name: string) => readonly ServiceBackend[];

export function serviceMonitorTargets(monitors: readonly ServiceMonitor[], services: readonly V1Service[], backendsOf: BackendsOf, defaults: ScrapeSettings): ScrapeTarget[] {
  return monitors.flatMap((monitor) => {
    const ns = monitor.metadata?.namespace ?? '';
    const spec = monitor.spec ?? {};
    const selected = services.filter((s) => namespaceSelected(spec.namespaceSelector, ns, s.metadata?.namespace ?? '') && labelsMatch(spec.selector, s.metadata?.labels));
    return (spec.endpoints ?? []).flatMap((endpoint, i) => {
      const scheme = schemeOf(endpoint.scheme);
      if (scheme === undefined) return [];
      const job = `serviceMonitor/${ns}/${monitor.metadata?.name ?? ''}/${i}`;
      const settings = settingsWith(defaults, { ...spec, ...endpoint });
      return selected.flatMap((service) => {
        const svcNs = service.metadata?.namespace ?? '';
        const svcName = service.metadata?.name ?? '';
        const jobLabel = (spec.jobLabel === undefined ? undefined : service.metadata?.labels?.[spec.jobLabel]) ?? svcName;
        const portMatches = portFilter(endpoint, service);
        return backendsOf(svcNs, svcName).flatMap((backend) =>
          backend.ports.filter(portMatches).map((port) =>
            makeTarget({
              job,
              scheme,
              address: hostPort(backend.ip, port.port),
              metricsPath: endpoint.path ?? '/metrics',
              params: endpoint.params ?? {},
              labels: {
                ...copiedLabels(spec.targetLabels, service.metadata?.labels),
                namespace: svcNs,
                service: svcName,
                endpoint: endpoint.port ?? (endpoint.targetPort === undefined ? (port.name ?? '') : String(endpoint.targetPort)),
                pod: backend.podName ?? '',
                node: backend.nodeName ?? '',
                job: jobLabel,
              },
              settings,
            }),
          ),
        );
      });
    });
  });
}

function portFilter(endpoint: ServiceMonitorEndpoint, service: V1Service): (port: BackendPort) => boolean {
  if (endpoint.port !== undefined) return (p) => p.name === endpoint.port;
  const target = endpoint.targetPort;
  if (typeof target === 'number') return (p) => p.port === target;
  if (typeof target === 'string') {
    const names = new Set((service.spec?.ports ?? []).filter((sp) => sp.targetPort === target).map((sp) => sp.name));
    return (p) => names.has(p.name);
  }
  return () => true;
}
