/**
 * Targets of PodMonitors, as the Prometheus Operator generates their scrape configurations: the Running pods
 * with an IP in the selected namespaces whose labels match `spec.selector`; for each
 * `spec.podMetricsEndpoints[i]`, every container port named `port` (or numbered `portNumber`, or matching the
 * deprecated `targetPort`; every TCP port when none is given). Job name `podMonitor/<namespace>/<name>/<i>`;
 * target labels `namespace`, `pod`, `container`, `endpoint` and `job` (`<namespace>/<name>` of the monitor,
 * or the value of the pod's `jobLabel` label), plus the `podTargetLabels` of the pod.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { makeTarget, type ScrapeSettings, type ScrapeTarget } from '../scrape-target';
import { labelsMatch } from './label-selector';
import { namespaceSelected, type PodMetricsEndpoint, type PodMonitor } from './monitor-resources';
import { containerPorts, copiedLabels, hostPort, runningPodIp, schemeOf, settingsWith, type ContainerPort } from './monitor-settings';

export function podMonitorTargets(monitors: readonly PodMonitor[], pods: readonly V1Pod[], defaults: ScrapeSettings): ScrapeTarget[] {
  return monitors.flatMap((monitor) => {
    const ns = monitor.metadata?.namespace ?? '';
    const name = monitor.metadata?.name ?? '';
    const spec = monitor.spec ?? {};
    const selected = pods.filter((p) => runningPodIp(p) !== undefined && namespaceSelected(spec.namespaceSelector, ns, p.metadata?.namespace ?? '') && labelsMatch(spec.selector, p.metadata?.labels));
    return (spec.podMetricsEndpoints ?? []).flatMap((endpoint, i) => {
      const scheme = schemeOf(endpoint.scheme);
      if (scheme === undefined) return [];
      const settings = settingsWith(defaults, { ...spec, ...endpoint });
      return selected.flatMap((pod) => {
        const ip = runningPodIp(pod) as string;
        const podLabels = pod.metadata?.labels;
        const jobLabel = (spec.jobLabel === undefined ? undefined : podLabels?.[spec.jobLabel]) ?? `${ns}/${name}`;
        return containerPorts(pod)
          .filter(portFilter(endpoint))
          .map((port) =>
            makeTarget({
              job: `podMonitor/${ns}/${name}/${i}`,
              scheme,
              address: hostPort(ip, port.port),
              metricsPath: endpoint.path ?? '/metrics',
              params: endpoint.params ?? {},
              labels: {
                ...copiedLabels(spec.podTargetLabels, podLabels),
                namespace: pod.metadata?.namespace ?? '',
                pod: pod.metadata?.name ?? '',
                container: port.container,
                endpoint: endpoint.port ?? (endpoint.portNumber ?? endpoint.targetPort ?? port.name ?? '').toString(),
                job: jobLabel,
              },
              settings,
            }),
          );
      });
    });
  });
}

function portFilter(endpoint: PodMetricsEndpoint): (port: ContainerPort) => boolean {
  if (endpoint.port !== undefined) return (p) => p.name === endpoint.port;
  if (endpoint.portNumber !== undefined) return (p) => p.port === endpoint.portNumber;
  const target = endpoint.targetPort;
  if (typeof target === 'number') return (p) => p.port === target;
  if (typeof target === 'string') return (p) => p.name === target;
  return () => true;
}
