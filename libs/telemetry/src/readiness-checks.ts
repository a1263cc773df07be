/**
 * Readiness of a service: each dependency it needs (Kafka, the schema registry, ClickHouse, Redis) registers
 * a probe; /readyz is ready only when all answer in time and the service is not shutting down. Probes run
 * concurrently with a timeout so that one hung dependency cannot hang the endpoint.
 */
export interface ReadinessProbe {
  /** Dependency name shown in /readyz (kafka, registry, clickhouse, ...). */
  name: string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 2000;

export class ReadinessChecks {
  private readonly probes: ReadinessProbe[] = [];
  private shuttingDown = false;

  constructor(private readonly timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {}

  add(probe: ReadinessProbe): void {
    this.probes.push(probe);
  }

  /** Called when SIGTERM arrives: the service stops being ready at once so traffic drains away. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async run(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    await Promise.all(
      this.probes.map(async (p) => {
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            p.check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
            }),
          ]);
          checks[p.name] = { ok: true, ms: Date.now() - started };
        } catch (e) {
          checks[p.name] = { ok: false, error: e instanceof Error ? e.message : String(e), ms: Date.now() - started };
        } finally {
          if (timer) clearTimeout(timer);
        }
      }),
    );
    if (this.shuttingDown) checks['shutdown'] = { ok: false, error: 'shutting down', ms: 0 };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
