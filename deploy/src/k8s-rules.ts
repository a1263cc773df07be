/**
 * The rules every rendered Kubernetes configuration (the base, each overlay, the base with optional components)
 * must keep, per pipeline stage: a Deployment that probes /healthz (liveness) and /readyz (readiness) on the
 * port the app listens on, has requests and limits, runs as the image's non-root uid on a read-only root file
 * system, gets its configuration from the shared ConfigMap and Secret, and gives an orderly shutdown the time it
 * needs; a Service that scrapes its metrics port; a PodDisruptionBudget; and exactly one autoscaler (an HPA, or
 * a KEDA ScaledObject instead). Problems come back as sentences.
 */
import {
  type Container,
  type DeploymentSpec,
  type HpaSpec,
  type K8sObject,
  NAMESPACED_KINDS,
  ofKind,
  type PdbSpec,
  type PodSpec,
  type ScaledObjectSpec,
  selects,
  type ServiceSpec,
} from './k8s-objects';
import { isPinnedImage } from './pinned-image';

/** Label whose value names the stage on every object of that stage. */
export const STAGE_LABEL = 'app.kubernetes.io/component';

/** Seconds between the shutdown timeout and SIGKILL (preStop delay, process exit). */
export const MIN_SHUTDOWN_MARGIN_SECONDS = 10;

/** One stage as the manifests must deploy it. */
export interface StageExpectation {
  /** Stage name, the value of STAGE_LABEL. */
  stage: string;
  /** Port of the app's HTTP server: /healthz, /readyz, /metrics (SEXTANT_HTTP_PORT). */
  adminPort: number;
  /** Further ports some Service must expose for clients (ingest: 4318). */
  clientPorts?: readonly number[];
}

/** What a rendered configuration must provide. */
export interface K8sExpectations {
  stages: readonly StageExpectation[];
  /** uid the image runs as (deploy/Dockerfile's USER). */
  runAsUser: number;
  /** Name of the shared ConfigMap before kustomize's hash suffix. */
  configMapName: string;
  /** Name of the credentials Secret. */
  secretName: string;
  /** Keys the ConfigMap must define. */
  configKeys: readonly string[];
}

function configMapOf(objects: readonly K8sObject[], name: string): K8sObject | undefined {
  const hashed = new RegExp(`^${name}(-[a-z0-9]{10})?$`);
  return objects.find((o) => o.kind === 'ConfigMap' && hashed.test(o.metadata?.name ?? ''));
}

function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function containerProblems(where: string, c: Container, pod: PodSpec, stage: StageExpectation, expect: K8sExpectations): string[] {
  const problems: string[] = [];
  if (!isPinnedImage(c.image ?? '')) problems.push(`${where}: image '${c.image ?? ''}' is not pinned`);
  const probes: Array<[string, Container['livenessProbe'], string]> = [
    ['livenessProbe', c.livenessProbe, '/healthz'],
    ['readinessProbe', c.readinessProbe, '/readyz'],
  ];
  for (const [name, probe, path] of probes) {
    if (probe?.httpGet?.path !== path) problems.push(`${where}: ${name} does not GET ${path}`);
    else if (portNumber(c, probe.httpGet.port) !== stage.adminPort) problems.push(`${where}: ${name} does not probe port ${stage.adminPort}`);
  }
  const httpPort = c.env?.find((e) => e.name === 'SEXTANT_HTTP_PORT')?.value;
  if (httpPort !== undefined && Number(httpPort) !== stage.adminPort) problems.push(`${where}: SEXTANT_HTTP_PORT ${httpPort} is not the probed port ${stage.adminPort}`);
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: no ${resource} ${kind}`);
    }
  }
  const nonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (nonRoot !== true) problems.push(`${where}: runAsNonRoot is not set`);
  if (uid !== expect.runAsUser) problems.push(`${where}: runs as uid ${String(uid)}, not the image's ${expect.runAsUser}`);
  if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: root file system is writable`);
  if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
  return problems;
}

function configProblems(where: string, c: Container, objects: readonly K8sObject[], expect: K8sExpectations): string[] {
  const problems: string[] = [];
  const configMap = configMapOf(objects, expect.configMapName);
  const refs = c.envFrom ?? [];
  if (configMap === undefined || !refs.some((r) => r.configMapRef?.name === configMap.metadata?.name)) {
    problems.push(`${where}: envFrom does not reference the rendered ConfigMap ${expect.configMapName}`);
  }
  if (!refs.some((r) => r.secretRef?.name === expect.secretName)) problems.push(`${where}: envFrom does not reference Secret ${expect.secretName}`);
  return problems;
}

function deploymentProblems(objects: readonly K8sObject[], stage: StageExpectation, expect: K8sExpectations): string[] {
  const deployments = ofKind<DeploymentSpec>(objects, 'Deployment').filter((d) => d.spec?.template?.metadata?.labels?.[STAGE_LABEL] === stage.stage);
  if (deployments.length !== 1) return [`${stage.stage}: expected one Deployment, found ${deployments.length}`];
  const deployment = deployments[0];
  const where = `${stage.stage}: Deployment ${deployment.metadata?.name ?? ''}`;
  const podLabels = deployment.spec?.template?.metadata?.labels;
  const pod = deployment.spec?.template?.spec ?? {};
  const container = pod.containers?.[0];
  const problems: string[] = [];
  if (!selects(deployment.spec?.selector?.matchLabels, podLabels)) problems.push(`${where}: selector does not match its pod labels`);
  if (container === undefined) return [...problems, `${where}: has no container`];
  problems.push(...containerProblems(where, container, pod, stage, expect), ...configProblems(where, container, objects, expect));

  const shutdownMs = Number(configMapOf(objects, expect.configMapName)?.data?.SEXTANT_SHUTDOWN_TIMEOUT_MS ?? 30000);
  const neededGrace = Math.ceil(shutdownMs / 1000) + MIN_SHUTDOWN_MARGIN_SECONDS;
  if ((pod.terminationGracePeriodSeconds ?? 30) < neededGrace) {
    problems.push(`${where}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds ?? 30} < ${neededGrace} (shutdown timeout + margin)`);
  }

  const services = ofKind<ServiceSpec>(objects, 'Service').filter((s) => selects(s.spec?.selector, podLabels));
  const metrics = services.find((s) => s.spec?.ports?.some((p) => p.name === 'http-metrics' && portNumber(container, p.targetPort ?? p.port) === stage.adminPort));
  if (metrics === undefined) problems.push(`${stage.stage}: no Service exposes port ${stage.adminPort} as http-metrics`);
  else {
    const a = metrics.metadata?.annotations ?? {};
    if (a['prometheus.io/scrape'] !== 'true' || a['prometheus.io/port'] !== String(stage.adminPort)) {
      problems.push(`${stage.stage}: Service ${metrics.metadata?.name ?? ''} lacks prometheus.io/scrape "true" and prometheus.io/port "${stage.adminPort}"`);
    }
  }
  for (const port of stage.clientPorts ?? []) {
    if (!services.some((s) => s.spec?.ports?.some((p) => p.port === port))) problems.push(`${stage.stage}: no Service exposes port ${port}`);
  }

  const pdbs = ofKind<PdbSpec>(objects, 'PodDisruptionBudget').filter((p) => selects(p.spec?.selector?.matchLabels, podLabels));
  if (pdbs.length !== 1) problems.push(`${stage.stage}: expected one PodDisruptionBudget, found ${pdbs.length}`);
  else if (pdbs[0].spec?.maxUnavailable === undefined && pdbs[0].spec?.minAvailable === undefined) problems.push(`${stage.stage}: PodDisruptionBudget sets no budget`);

  problems.push(...scalerProblems(objects, stage.stage, deployment.metadata?.name ?? ''));
  return problems;
}

function scalerProblems(objects: readonly K8sObject[], stage: string, deploymentName: string): string[] {
  const targets = (ref: { kind?: string; name?: string } | undefined): boolean => (ref?.kind ?? 'Deployment') === 'Deployment' && ref?.name === deploymentName;
  const hpas = ofKind<HpaSpec>(objects, 'HorizontalPodAutoscaler').filter((h) => targets(h.spec?.scaleTargetRef));
  const scaled = ofKind<ScaledObjectSpec>(objects, 'ScaledObject').filter((s) => targets(s.spec?.scaleTargetRef));
  if (hpas.length + scaled.length !== 1) {
    return [`${stage}: expected exactly one autoscaler for ${deploymentName}, found ${hpas.length} HPA(s) and ${scaled.length} ScaledObject(s)`];
  }
  if (scaled.length === 1) return (scaled[0].spec?.triggers ?? []).length > 0 ? [] : [`${stage}: ScaledObject has no triggers`];
  const spec = hpas[0].spec ?? {};
  const problems: string[] = [];
  if (spec.minReplicas === undefined || spec.maxReplicas === undefined || spec.minReplicas > spec.maxReplicas) {
    problems.push(`${stage}: HPA replicas min ${String(spec.minReplicas)} / max ${String(spec.maxReplicas)} are not a range`);
  }
  if (!(spec.metrics ?? []).some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')) problems.push(`${stage}: HPA does not scale on CPU`);
  return problems;
}

/** Problems of one rendered configuration against `expect`; empty when it keeps every rule. */
export function k8sProblems(objects: readonly K8sObject[], expect: K8sExpectations): string[] {
  const problems: string[] = [];
  const configMap = configMapOf(objects, expect.configMapName);
  if (configMap === undefined) problems.push(`ConfigMap ${expect.configMapName} is missing`);
  else {
    for (const key of expect.configKeys) if (configMap.data?.[key] === undefined) problems.push(`ConfigMap ${expect.configMapName} lacks ${key}`);
  }
  if (!objects.some((o) => o.kind === 'Secret' && o.metadata?.name === expect.secretName)) problems.push(`Secret ${expect.secretName} is missing`);
  for (const stage of expect.stages) problems.push(...deploymentProblems(objects, stage, expect));
  return problems;
}

/** Objects whose namespace differs from `namespace` (undefined: none may set one, as in a reusable base). */
export function namespaceProblems(objects: readonly K8sObject[], namespace: string | undefined): string[] {
  return objects
    .filter((o) => NAMESPACED_KINDS.has(o.kind ?? '') && o.metadata?.namespace !== namespace)
    .map((o) => `${o.kind ?? ''} ${o.metadata?.name ?? ''}: namespace '${o.metadata?.namespace ?? ''}', expected '${namespace ?? ''}'`);
}
