/**
 * Structured JSON logs on stdout (one object a line, pino), labelled with the stage, so that any log shipper,
 * Sextant's own agent included, can collect and parse them without configuration.
 */
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Stage name, set as the `service` field of every line. */
  stage: string;
  /** Minimum level: trace, debug, info, warn, error, fatal. */
  level: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino({
    level: opts.level,
    base: { service: `sextant-${opts.stage}` },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'], censor: '<hidden>' },
  });
}
