/**
 * The addresses behind a Service, from either of the two APIs that list them: `Endpoints` (one object named
 * as the Service) or `EndpointSlice`s (labelled `kubernetes.io/service-name`). Both come out as one address
 * per backend with its ports, so the ServiceMonitor logic does not care which was watched. Not-ready
 * addresses are kept (the Prometheus Operator scrapes them too); terminating slice endpoints are not.
 */
import type { V1Endpoints, V1EndpointSlice } from '@kubernetes/client-node';

/** Label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface BackendPort {
  readonly name: string | undefined;
  readonly port: number;
}

/** One backend address of a Service. */
export interface ServiceBackend {
  readonly ip: string;
  readonly ports: readonly BackendPort[];
  /** The pod behind the address, when it is one. */
  readonly podName?: string;
  readonly nodeName?: string;
}

/** Backends of Endpoints objects. */
export function backendsOfEndpoints(endpoints: V1Endpoints): ServiceBackend[] {
  return (endpoints.subsets ?? []).flatMap((subset) => {
    const ports = tcpPorts(subset.ports ?? []);
    return [...(subset.addresses ?? []), ...(subset.notReadyAddresses ?? [])].map((a) => ({
      ip: a.ip,
      ports,
      ...(a.targetRef?.kind === 'Pod' && a.targetRef.name !== undefined ? { podName: a.targetRef.name } : {}),
      ...(a.nodeName === undefined ? {} : { nodeName: a.nodeName }),
    }));
  });
}

/** Backends of EndpointSlices (IP address types only). */
export function backendsOfSlice(slice: V1EndpointSlice): ServiceBackend[] {
  if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') return [];
  const ports = tcpPorts(slice.ports ?? []);
  return (slice.endpoints ?? [])
    .filter((e) => e.conditions?.terminating !== true)
    .flatMap((e) =>
      e.addresses.map((ip) => ({
        ip,
        ports,
        ...(e.targetRef?.kind === 'Pod' && e.targetRef.name !== undefined ? { podName: e.targetRef.name } : {}),
        ...(e.nodeName === undefined ? {} : { nodeName: e.nodeName }),
      })),
    );
}

function tcpPorts(ports: readonly { name?: string; port?: number; protocol?: string }[]): BackendPort[] {
  return ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.port !== undefined).map((p) => ({ name: p.name, port: p.port as number }));
}
