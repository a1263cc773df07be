/**
 * Targets of pods annotated for scraping, with the conventional semantics (the `kubernetes-pods` job of the
 * Prometheus community Helm chart): only pods with `prometheus.io/scrape: "true"` that are Running and have
 * an IP; `prometheus.io/port` picks the port, else every declared TCP container port is a target;
 * `prometheus.io/path` (default `/metrics`), `prometheus.io/scheme` (default `http`), and
 * `prometheus.io/param_<name>` for URL parameters. Target labels: `namespace`, `pod`, `container` (the
 * container declaring the port, when one does), `node`.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { makeTarget, type ScrapeSettings, type ScrapeTarget } from '../scrape-target';
import { containerPorts, hostPort, runningPodIp, schemeOf } from './monitor-settings';

export const SCRAPE_ANNOTATION = 'prometheus.io/scrape';
export const PORT_ANNOTATION = 'prometheus.io/port';
export const PATH_ANNOTATION = 'prometheus.io/path';
export const SCHEME_ANNOTATION = 'prometheus.io/scheme';
export const PARAM_ANNOTATION_PREFIX = 'prometheus.io/param_';

/** Default job of annotated pods. */
export const ANNOTATED_PODS_JOB = 'kubernetes-pods';

/** The targets of the annotated pods among `pods`. */
export function annotatedPodTargets(pods: readonly V1Pod[], settings: ScrapeSettings, job = ANNOTATED_PODS_JOB): ScrapeTarget[] {
  return pods.flatMap((pod) => podTargets(pod, settings, job));
}

function podTargets(pod: V1Pod, settings: ScrapeSettings, job: string): ScrapeTarget[] {
  const annotations = pod.metadata?.annotations ?? {};
  const ip = runningPodIp(pod);
  const scheme = schemeOf(annotations[SCHEME_ANNOTATION]);
  if (annotations[SCRAPE_ANNOTATION] !== 'true' || ip === undefined || scheme === undefined) return [];
  const path = annotations[PATH_ANNOTATION] ?? '/metrics';
  const params: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(annotations)) {
    if (name.startsWith(PARAM_ANNOTATION_PREFIX)) params[name.slice(PARAM_ANNOTATION_PREFIX.length)] = [value];
  }
  const declared = containerPorts(pod);
  const annotatedPort = annotations[PORT_ANNOTATION];
  let ports: { container: string | undefined; port: number }[];
  if (annotatedPort !== undefined) {
    const port = Number(annotatedPort);
    if (!/^\d+$/.test(annotatedPort) || port < 1 || port > 65535) return [];
    ports = [{ container: declared.find((d) => d.port === port)?.container, port }];
  } else {
    ports = declared;
  }
  return ports.map(({ container, port }) =>
    makeTarget({
      job,
      scheme,
      address: hostPort(ip, port),
      metricsPath: path.startsWith('/') ? path : `/${path}`,
      params,
      labels: { namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '', container: container ?? '', node: pod.spec?.nodeName ?? '' },
      settings,
    }),
  );
}
