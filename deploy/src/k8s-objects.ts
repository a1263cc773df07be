/**
 * The parts of Kubernetes objects the deployment checks read, typed loosely (every field optional) because the
 * point of the checks is to notice what is missing. Plus the lookups the rules share.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string };
  periodSeconds?: number;
}

export interface ResourceList {
  cpu?: string | number;
  memory?: string;
}

export interface Container {
  name?: string;
  image?: string;
  ports?: Array<{ name?: string; containerPort?: number }>;
  envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>;
  env?: Array<{ name?: string; value?: string }>;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: Array<{ name?: string; mountPath?: string }>;
}

export interface PodSpec {
  containers?: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: Array<{ name?: string; secret?: { secretName?: string } }>;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: ObjectMeta; spec?: PodSpec };
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  clusterIP?: string;
  ports?: Array<{ name?: string; port?: number; targetPort?: number | string }>;
}

export interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: { matchLabels?: Record<string, string> };
}

export interface HpaSpec {
  scaleTargetRef?: { kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: Array<{ type?: string; resource?: { name?: string } }>;
}

export interface ScaledObjectSpec {
  scaleTargetRef?: { kind?: string; name?: string };
  triggers?: Array<{ type?: string; metadata?: Record<string, string> }>;
}

/** Objects of one kind, with their spec typed as `S`. */
export function ofKind<S>(objects: readonly K8sObject[], kind: string): Array<K8sObject & { spec?: S }> {
  return objects.filter((o) => o.kind === kind) as Array<K8sObject & { spec?: S }>;
}

/** True when every entry of `selector` is among `labels` (an empty selector matches nothing here). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/** Kinds that live in a namespace (those the Sextant manifests use). */
export const NAMESPACED_KINDS = new Set([
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'ScaledObject',
]);
