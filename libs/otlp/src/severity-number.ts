/**
 * The OTLP SeverityNumber enum (logs.proto): its names for OTLP/JSON, where an enum may be sent by name, and
 * the valid range a LogRecord may carry.
 */

/** Highest defined severity number (FATAL4). 0 is UNSPECIFIED. */
export const MAX_SEVERITY_NUMBER = 24;

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** `SEVERITY_NUMBER_UNSPECIFIED` → 0, `SEVERITY_NUMBER_TRACE` → 1, `SEVERITY_NUMBER_TRACE2` → 2, ...,
 * `SEVERITY_NUMBER_FATAL4` → 24. */
export const SEVERITY_NUMBER_BY_NAME: ReadonlyMap<string, number> = new Map<string, number>([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...LEVELS.flatMap((level, i) =>
    [1, 2, 3, 4].map((step): [string, number] => [
      `SEVERITY_NUMBER_${level}${step === 1 ? '' : step}`,
      i * 4 + step,
    ]),
  ),
]);
