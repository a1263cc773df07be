/**
 * Liveness of a service: whether it can still make progress on its own, as opposed to readiness (whether its
 * dependencies answer). Components that can wedge (a consumer crashed for good, a transactional producer that
 * keeps failing, a partition that makes no progress while it has lag) register a probe; /healthz turns 503
 * while any of them reports a reason, so Kubernetes restarts the pod instead of leaving a silent stall. Probes
 * are synchronous and local: a dependency being down is not a reason to restart (that is readiness).
 */
export interface LivenessProbe {
  /** Component name shown in /healthz. */
  name: string;
  /** Why the component is wedged, or null while it is alive. */
  wedged(): string | null;
}

export interface LivenessReport {
  status: 'ok' | 'wedged';
  wedged: Record<string, string>;
}

export class LivenessChecks {
  private readonly probes: LivenessProbe[] = [];

  add(probe: LivenessProbe): void {
    this.probes.push(probe);
  }

  run(): LivenessReport {
    const wedged: Record<string, string> = {};
    for (const p of this.probes) {
      let reason: string | null;
      try {
        reason = p.wedged();
      } catch (e) {
        reason = `liveness probe failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (reason !== null) wedged[p.name] = reason;
    }
    return { status: Object.keys(wedged).length > 0 ? 'wedged' : 'ok', wedged };
  }
}
