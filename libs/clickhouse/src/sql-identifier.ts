/**
 * SQL identifiers (database and table names) come from configuration, never from request data, but they are
 * still spliced into DDL and INSERT statements, so they are held to a strict shape and always quoted. Anything
 * outside `[A-Za-z_][A-Za-z0-9_]*` is refused rather than escaped: a name that needs escaping is a typo.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** True when `name` is a plain identifier we are willing to splice into SQL. */
export function isSqlIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Throws unless `name` is a plain identifier; `what` names the setting in the message. */
export function assertSqlIdentifier(name: string, what: string): void {
  if (!isSqlIdentifier(name)) {
    throw new Error(`${what} must match ${IDENTIFIER.source} (letters, digits, underscore), got ${JSON.stringify(name)}`);
  }
}

/** `name` validated and back-quoted: `otel_logs` → `` `otel_logs` ``. */
export function quoteIdentifier(name: string): string {
  assertSqlIdentifier(name, 'identifier');
  return `\`${name}\``;
}

/** Database-qualified, quoted table name: `` `sextant`.`otel_logs` ``. */
export function qualifiedTable(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}
