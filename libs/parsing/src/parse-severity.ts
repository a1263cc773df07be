/**
 * Maps the level words and numbers that log lines carry onto OpenTelemetry severity numbers (TRACE 1,
 * DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21; the log data model's ranges start there). Words are matched
 * case-insensitively; numbers follow the pino/bunyan scale (10 trace ... 60 fatal), the common numeric one.
 */

export const SeverityNumber = {
  UNSPECIFIED: 0,
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  INFO2: 10,
  WARN: 13,
  ERROR: 17,
  FATAL: 21,
} as const;

const BY_WORD: ReadonlyMap<string, number> = new Map([
  ['trace', SeverityNumber.TRACE],
  ['debug', SeverityNumber.DEBUG],
  ['dbg', SeverityNumber.DEBUG],
  ['info', SeverityNumber.INFO],
  ['information', SeverityNumber.INFO],
  ['informational', SeverityNumber.INFO],
  // syslog's notice sits between info and warning; the OTel syslog mapping puts it at INFO2.
  ['notice', SeverityNumber.INFO2],
  ['warn', SeverityNumber.WARN],
  ['warning', SeverityNumber.WARN],
  ['error', SeverityNumber.ERROR],
  ['err', SeverityNumber.ERROR],
  ['fatal', SeverityNumber.FATAL],
  ['critical', SeverityNumber.FATAL],
  ['crit', SeverityNumber.FATAL],
  ['panic', SeverityNumber.FATAL],
  ['alert', SeverityNumber.FATAL],
  ['emerg', SeverityNumber.FATAL],
  ['emergency', SeverityNumber.FATAL],
]);

const BY_PINO_LEVEL: ReadonlyMap<number, number> = new Map([
  [10, SeverityNumber.TRACE],
  [20, SeverityNumber.DEBUG],
  [30, SeverityNumber.INFO],
  [40, SeverityNumber.WARN],
  [50, SeverityNumber.ERROR],
  [60, SeverityNumber.FATAL],
]);

/** Severity number of a level word (`warn`, `ERROR`, `Critical`...), undefined when the word is not known. */
export function severityOfWord(word: string): number | undefined {
  return BY_WORD.get(word.toLowerCase());
}

/** Severity number of a pino/bunyan numeric level (10, 20, 30, 40, 50, 60), undefined for other numbers. */
export function severityOfNumericLevel(level: number): number | undefined {
  return BY_PINO_LEVEL.get(level);
}
