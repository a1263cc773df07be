/**
 * The parts of the Prometheus Operator's `monitoring.coreos.com/v1` ServiceMonitor and PodMonitor that the
 * discovery reads (CRDs have no generated types in the client). Everything the API server may omit is optional.
 */
import type { KubernetesObject, V1LabelSelector } from '@kubernetes/client-node';

/** `spec.namespaceSelector`: `any: true`, or the names; absent = the monitor's own namespace. */
export interface NamespaceSelector {
  readonly any?: boolean;
  readonly matchNames?: readonly string[];
}

/** Fields an endpoint of either monitor kind shares. */
interface MonitorEndpointBase {
  /** Deprecated in the operator, still honored: a port number, or a container port name. */
  readonly targetPort?: number | string;
  readonly path?: string;
  readonly scheme?: string;
  readonly interval?: string;
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
  readonly honorTimestamps?: boolean;
  readonly params?: Readonly<Record<string, readonly string[]>>;
}

/** `spec.endpoints[]` of a ServiceMonitor. */
export interface ServiceMonitorEndpoint extends MonitorEndpointBase {
  /** Name of the Service port. */
  readonly port?: string;
}

/** `spec.podMetricsEndpoints[]` of a PodMonitor. */
export interface PodMetricsEndpoint extends MonitorEndpointBase {
  /** Name of the container port. */
  readonly port?: string;
  /** Number of the container port. */
  readonly portNumber?: number;
}

interface MonitorSpecBase {
  readonly selector?: V1LabelSelector;
  readonly namespaceSelector?: NamespaceSelector;
  /** Label of the Service (Pod) whose value becomes the `job` label. */
  readonly jobLabel?: string;
  readonly sampleLimit?: number;
  readonly labelLimit?: number;
  readonly labelNameLengthLimit?: number;
  readonly labelValueLengthLimit?: number;
}

export interface ServiceMonitor extends KubernetesObject {
  readonly spec?: MonitorSpecBase & {
    readonly endpoints?: readonly ServiceMonitorEndpoint[];
    /** Service labels copied onto the targets. */
    readonly targetLabels?: readonly string[];
  };
}

export interface PodMonitor extends KubernetesObject {
  readonly spec?: MonitorSpecBase & {
    readonly podMetricsEndpoints?: readonly PodMetricsEndpoint[];
    /** Pod labels copied onto the targets. */
    readonly podTargetLabels?: readonly string[];
  };
}

/** Whether a monitor in `ownNamespace` with `selector` covers `namespace`. */
export function namespaceSelected(selector: NamespaceSelector | undefined, ownNamespace: string, namespace: string): boolean {
  if (selector?.any === true) return true;
  const names = selector?.matchNames ?? [];
  return names.length > 0 ? names.includes(namespace) : namespace === ownNamespace;
}
