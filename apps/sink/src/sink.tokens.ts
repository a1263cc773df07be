/** Injection tokens of the sink module. */
export const LOGS_INSERTER = Symbol('LOGS_INSERTER');
