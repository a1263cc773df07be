/** Injection tokens of the ingest module. */
export const INGEST_SETTINGS = Symbol('INGEST_SETTINGS');
