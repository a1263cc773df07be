/** Process-level settings every Sextant service shares: logging and the HTTP port for health and metrics. */
import { STAGE_NAMES, STAGES } from '@sextant/contracts';
import { enumVar, intVar, textVar } from '../env-var';
import { defineSection } from '../config-section';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServiceConfig {
  /** Stage name (ingest, parser, sink, ...): labels logs and metrics. */
  stage: string;
  /** Minimum level of the JSON logs written to stdout. */
  logLevel: LogLevel;
  /** Address the HTTP server binds. */
  httpHost: string;
  /** Port of the HTTP server (OTLP for ingest; /healthz, /readyz, /metrics everywhere). */
  httpPort: number;
  /** Upper bound for an orderly shutdown after SIGTERM before the process gives up. */
  shutdownTimeoutMs: number;
}

/** Default HTTP ports per stage, from the stage declarations. */
export const DEFAULT_HTTP_PORTS: Record<string, number> = Object.fromEntries(STAGE_NAMES.map((n) => [n, STAGES[n].httpPort]));

export function serviceSection(stage: string) {
  const port = DEFAULT_HTTP_PORTS[stage] ?? 8300;
  return defineSection({
    title: 'Service',
    vars: {
      logLevel: enumVar('SEXTANT_LOG_LEVEL', 'Minimum level of the JSON logs on stdout.', 'info', LOG_LEVELS),
      httpHost: textVar('SEXTANT_HTTP_HOST', 'Address the HTTP server binds.', '0.0.0.0'),
      httpPort: intVar('SEXTANT_HTTP_PORT', 'HTTP port: OTLP/HTTP on ingest; /healthz, /readyz and /metrics on every stage.', port, 1, 65535, '', {
        docDefault: STAGE_NAMES.map((n) => `${STAGES[n].httpPort} ${n}`).join(', '),
      }),
      shutdownTimeoutMs: intVar('SEXTANT_SHUTDOWN_TIMEOUT_MS', 'Longest orderly shutdown after SIGTERM (drain, flush, commit) before the process exits non-zero.', 30000, 1000, 600000, 'ms'),
    },
    build: (f) => ({ value: { stage, ...f }, problems: [] }),
  });
}
