/**
 * Runs one request on one chDB session and leaves the session as it found it. chDB keeps settings per
 * session, and a setting sent as `SET` outlives the query, so a request's settings would otherwise leak into
 * the next request on that session (a deduplication token reused by the next insert would silently drop its
 * rows). Each session remembers the settings and database it opened with; after every request the changed
 * settings are compared with that baseline and put back. The database is not put back but tracked: each
 * request first switches to its own (or the default one) only when the session is elsewhere, which saves two
 * engine round trips per request of a client that always names the same database. A read-only request cannot be undone (readonly=1
 * forbids changing settings, readonly itself included), so its session is spoiled and replaced.
 */
import { mayChangeSession, quoteStringLiteral, type ClickHouseRequest } from './clickhouse-request';
import { bindValues } from './query-parameters';
import type { SessionOutcome } from './session-pool';

/** The part of chDB's `Session` the store uses. */
export interface ChdbSession {
  queryAsync(query: string, opts?: { format?: string }): Promise<ChdbQueryResult>;
  queryBindAsync(query: string, params: object, opts?: { format?: string }): Promise<ChdbQueryResult>;
  close(): void;
}

export interface ChdbQueryResult {
  readonly elapsed: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
  bytes(): Uint8Array;
  text(): string;
}

/** Caps of every read-only request; settings of the request can lower them, nothing can raise them. */
export interface ReadonlyCaps {
  maxResultBytes: number;
  maxExecutionSeconds: number;
}

/** A session with what it started with. */
export interface EngineSession {
  chdb: ChdbSession;
  baseline: Map<string, string>;
  /** The database a request without one runs in. */
  database: string;
  /** The database the session is in now. */
  current: string;
}

export interface QueryAnswer {
  bytes: Uint8Array;
  rowsRead: number;
  bytesRead: number;
  elapsedSeconds: number;
}

const CHANGED_SETTINGS = 'SELECT name, value FROM system.settings WHERE changed';

function parseTsvPairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

/** Opens the bookkeeping of a fresh chDB session: the settings chDB itself changed, and the database. */
export async function engineSession(chdb: ChdbSession): Promise<EngineSession> {
  const baseline = parseTsvPairs((await chdb.queryAsync(CHANGED_SETTINGS, { format: 'TabSeparatedRaw' })).text());
  const database = (await chdb.queryAsync('SELECT currentDatabase()', { format: 'TabSeparatedRaw' })).text().trim();
  return { chdb, baseline, database, current: database };
}

/**
 * Opens sessions that all start alike (same engine, same defaults): the first one's baseline is read, later
 * ones reuse it, so replacing a session costs one `new Session` and no queries.
 */
export function engineSessionOpener(openChdb: () => ChdbSession): () => Promise<EngineSession> {
  let template: EngineSession | null = null;
  return async () => {
    const chdb = openChdb();
    if (template === null) {
      template = await engineSession(chdb);
      return template;
    }
    return { chdb, baseline: template.baseline, database: template.database, current: template.database };
  };
}

function effectiveSettings(request: ClickHouseRequest, caps: ReadonlyCaps): Map<string, string> {
  const settings = new Map(request.settings);
  if (request.readonly) {
    const lower = (name: string, cap: number): void => {
      const asked = Number(settings.get(name));
      settings.set(name, String(Number.isFinite(asked) && asked > 0 && asked < cap ? asked : cap));
    };
    lower('max_result_bytes', caps.maxResultBytes);
    lower('max_execution_time', caps.maxExecutionSeconds);
    // Last, so nothing after it (the query's own SETTINGS clause included) may change a setting.
    settings.set('readonly', '1');
  }
  return settings;
}

async function applySettings(s: EngineSession, settings: Map<string, string>): Promise<void> {
  if (settings.size === 0) return;
  const readonly = settings.get('readonly');
  const assignments = [...settings].filter(([name]) => name !== 'readonly').map(([name, value]) => `${name} = ${quoteStringLiteral(value)}`);
  if (assignments.length > 0) await s.chdb.queryAsync(`SET ${assignments.join(', ')}`);
  if (readonly !== undefined) await s.chdb.queryAsync(`SET readonly = ${quoteStringLiteral(readonly)}`);
}

/** Undoes exactly what the store applied (the request's SQL changed nothing else); false when that fails. */
async function undo(s: EngineSession, request: ClickHouseRequest): Promise<boolean> {
  try {
    const assignments = [...request.settings.keys()].map((name) => {
      const base = s.baseline.get(name);
      return base === undefined ? `${name} = DEFAULT` : `${name} = ${quoteStringLiteral(base)}`;
    });
    if (assignments.length > 0) await s.chdb.queryAsync(`SET ${assignments.join(', ')}`);
    return true;
  } catch {
    return false;
  }
}

/** Puts every changed setting back to the session's baseline and learns its database; false when that fails. */
async function reset(s: EngineSession): Promise<boolean> {
  try {
    const changed = parseTsvPairs((await s.chdb.queryAsync(CHANGED_SETTINGS, { format: 'TabSeparatedRaw' })).text());
    if (changed.has('readonly')) return false;
    const assignments: string[] = [];
    for (const [name, value] of changed) {
      const base = s.baseline.get(name);
      if (base === undefined) assignments.push(`${name} = DEFAULT`);
      else if (base !== value) assignments.push(`${name} = ${quoteStringLiteral(base)}`);
    }
    for (const [name, base] of s.baseline) if (!changed.has(name)) assignments.push(`${name} = ${quoteStringLiteral(base)}`);
    if (assignments.length > 0) await s.chdb.queryAsync(`SET ${assignments.join(', ')}`);
    s.current = (await s.chdb.queryAsync('SELECT currentDatabase()', { format: 'TabSeparatedRaw' })).text().trim();
    return true;
  } catch {
    return false;
  }
}

/** What a request gave: the engine's answer, or what it threw. */
export type QueryOutcome = { ok: true; answer: QueryAnswer } | { ok: false; error: unknown };

/**
 * Runs `sql` for `request` on `s`: its database, its settings (read-only caps and readonly=1 last), its bound
 * parameters; then resets the session, or reports it spoiled when it cannot be reset.
 */
export async function runOnSession(s: EngineSession, request: ClickHouseRequest, sql: string, caps: ReadonlyCaps): Promise<SessionOutcome<QueryOutcome>> {
  let outcome: QueryOutcome;
  try {
    const bound = request.params.size > 0 ? bindValues(sql, request.params) : null;
    const database = request.database !== '' ? request.database : s.database;
    if (database !== s.current) {
      // Forgotten first: should USE fail, the session's database is unknown until the next reset.
      s.current = '';
      await s.chdb.queryAsync(`USE ${database}`);
      s.current = database;
    }
    await applySettings(s, effectiveSettings(request, caps));
    const opts = { format: request.defaultFormat };
    const result = bound === null ? await s.chdb.queryAsync(sql, opts) : await s.chdb.queryBindAsync(sql, bound, opts);
    outcome = { ok: true, answer: { bytes: result.bytes(), rowsRead: result.rowsRead, bytesRead: result.bytesRead, elapsedSeconds: result.elapsed } };
  } catch (error: unknown) {
    outcome = { ok: false, error };
  }
  // A full reset reads the engine's settings table (a few ms); most requests only need theirs undone.
  const clean = !request.readonly && (mayChangeSession(request.urlQuery, sql) ? await reset(s) : await undo(s, request));
  return { value: outcome, spoiled: !clean };
}
