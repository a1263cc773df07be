/** The scrape settings and small helpers every Kubernetes target builder shares. */
import type { V1Pod } from '@kubernetes/client-node';
import { parseDuration } from '../duration';
import type { ScrapeScheme, ScrapeSettings } from '../scrape-target';

/** What monitors and annotations may override of the discovery's defaults. */
export interface SettingsOverrides {
  readonly interval?: string;
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
  readonly honorTimestamps?: boolean;
  readonly sampleLimit?: number;
  readonly labelLimit?: number;
  readonly labelNameLengthLimit?: number;
  readonly labelValueLengthLimit?: number;
}

/**
 * `defaults` with the given overrides. An unparsable duration keeps the default; a timeout longer than the
 * interval is cut to the interval (Prometheus would refuse the configuration the operator generated).
 */
export function settingsWith(defaults: ScrapeSettings, o: SettingsOverrides): ScrapeSettings {
  const intervalMs = positive(o.interval) ?? defaults.intervalMs;
  const timeoutMs = Math.min(positive(o.scrapeTimeout) ?? defaults.timeoutMs, intervalMs);
  return {
    ...defaults,
    intervalMs,
    timeoutMs,
    honorLabels: o.honorLabels ?? defaults.honorLabels,
    honorTimestamps: o.honorTimestamps ?? defaults.honorTimestamps,
    sampleLimit: count(o.sampleLimit) ?? defaults.sampleLimit,
    labelLimit: count(o.labelLimit) ?? defaults.labelLimit,
    labelNameLengthLimit: count(o.labelNameLengthLimit) ?? defaults.labelNameLengthLimit,
    labelValueLengthLimit: count(o.labelValueLengthLimit) ?? defaults.labelValueLengthLimit,
  };
}

/** `http` or `https` (any case); undefined for anything else. Absent → `http`. */
export function schemeOf(value: string | undefined): ScrapeScheme | undefined {
  const s = (value ?? 'http').toLowerCase();
  return s === 'http' || s === 'https' ? s : undefined;
}

/** `ip:port`, IPv6 addresses in brackets. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The pod's IP when it is Running and has one (the only pods worth scraping). */
export function runningPodIp(pod: V1Pod): string | undefined {
  return pod.status?.phase === 'Running' && pod.status.podIP !== undefined && pod.status.podIP !== '' ? pod.status.podIP : undefined;
}

/** The values of the `names` labels present in `labels` (`targetLabels`, `podTargetLabels`). */
export function copiedLabels(names: readonly string[] | undefined, labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names ?? []) {
    const value = labels?.[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function positive(text: string | undefined): number | undefined {
  const ms = text === undefined ? undefined : parseDuration(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function count(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A declared TCP port of one of a pod's containers. */
export interface ContainerPort {
  readonly container: string;
  readonly name: string | undefined;
  readonly port: number;
}

/** The declared TCP ports of the pod's containers, in declaration order. */
export function containerPorts(pod: V1Pod): ContainerPort[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({ container: c.name, name: p.name, port: p.containerPort })));
}
