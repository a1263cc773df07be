// The severity label of log-derived counts: the source's severityText, or OpenTelemetry's short name of the
// severity number (TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24) when the text is empty.
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const NUMBERS_PER_NAME = 4;

export function severityLabel(text: string, severityNumber: number): string {
  if (text !== '') return text;
  if (!(severityNumber >= 1 && severityNumber <= SEVERITY_NAMES.length * NUMBERS_PER_NAME)) return 'UNSPECIFIED';
  return SEVERITY_NAMES[Math.floor((severityNumber - 1) / NUMBERS_PER_NAME)];
}
