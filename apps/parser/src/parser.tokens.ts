/** Injection tokens of the parser module. */
export const PARSE_OPTIONS = Symbol('PARSE_OPTIONS');
