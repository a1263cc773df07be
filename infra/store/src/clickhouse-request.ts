/**
 * Reads one request of ClickHouse's HTTP interface, as `@clickhouse/client` sends it, into plain data: the
 * SQL (URL `query`, request body, or both, the body then being an INSERT's data), the settings (every URL
 * parameter that is not a protocol parameter), the `param_<name>` query parameters, the database, the query
 * id, the default output format, and whether it must run read-only (`readonly` set, or a GET, as on a server).
 * Pure: nothing here touches the engine.
 */

/** URL parameters of the HTTP protocol itself; every other parameter is a setting. */
const PROTOCOL_PARAMS = new Set(['query', 'database', 'query_id', 'session_id', 'session_timeout', 'session_check', 'default_format', 'user', 'password', 'quota_key', 'role', 'readonly']);

/**
 * Settings that belong to the HTTP layer (response buffering, progress headers, compression): the store
 * answers them itself or they mean nothing without a server, and the engine would refuse some of them.
 */
export const HTTP_ONLY_SETTINGS = new Set([
  'wait_end_of_query',
  'buffer_size',
  'compress',
  'decompress',
  'send_progress_in_http_headers',
  'http_response_buffer_size',
  'http_headers_progress_interval_ms',
  'http_send_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
  'http_native_compression_disable_checksumming_on_decompress',
  'http_wait_end_of_query',
  'cancel_http_readonly_queries_on_client_close',
  'max_http_get_redirects',
]);

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Output format of a query without a FORMAT clause, as on a server. */
export const DEFAULT_OUTPUT_FORMAT = 'TabSeparated';

export interface ClickHouseRequest {
  /** Text from the URL `query` parameter ('' when absent). */
  urlQuery: string;
  /** Settings for this request only, by name, as sent (text). */
  settings: Map<string, string>;
  /** `param_<name>` values by name, in the escaped text form the client sends. */
  params: Map<string, string>;
  /** Current database for the request ('' keeps the engine's default). */
  database: string;
  /** The caller's query id, or '' to let the store make one. */
  queryId: string;
  /** Format of a result whose SQL names none. */
  defaultFormat: string;
  /** Read-only: `readonly` set to 1 or 2, or the request is a GET. */
  readonly: boolean;
  /** The caller asked for a compressed response (`enable_http_compression=1`). */
  compressResponse: boolean;
}

/** A request the store cannot take; `code` is ClickHouse's error code for it. */
export class RequestError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Parses the URL search parameters and method of one request. Throws RequestError on a malformed one. */
export function parseClickHouseRequest(method: string, search: URLSearchParams): ClickHouseRequest {
  const settings = new Map<string, string>();
  const params = new Map<string, string>();
  for (const [key, value] of search) {
    if (key.startsWith('param_')) {
      params.set(key.slice('param_'.length), value);
      continue;
    }
    if (PROTOCOL_PARAMS.has(key) || HTTP_ONLY_SETTINGS.has(key)) continue;
    if (!SETTING_NAME.test(key)) throw new RequestError(115, 'UNKNOWN_SETTING', `Setting name ${JSON.stringify(key)} is not an identifier`);
    settings.set(key, value);
  }
  const readonlyParam = search.get('readonly') ?? '0';
  if (!/^[012]$/.test(readonlyParam)) throw new RequestError(164, 'READONLY', `readonly must be 0, 1 or 2, got ${JSON.stringify(readonlyParam)}`);
  const database = search.get('database') ?? '';
  if (database !== '' && !SETTING_NAME.test(database)) throw new RequestError(81, 'UNKNOWN_DATABASE', `Database ${JSON.stringify(database)} is not an identifier`);
  const defaultFormat = search.get('default_format') ?? DEFAULT_OUTPUT_FORMAT;
  if (!SETTING_NAME.test(defaultFormat)) throw new RequestError(73, 'UNKNOWN_FORMAT', `Unknown format ${JSON.stringify(defaultFormat)}`);
  return {
    urlQuery: search.get('query') ?? '',
    settings,
    params,
    database,
    queryId: search.get('query_id') ?? '',
    defaultFormat,
    readonly: readonlyParam !== '0' || method === 'GET' || method === 'HEAD',
    compressResponse: search.get('enable_http_compression') === '1',
  };
}

/**
 * The SQL a request runs: the URL query followed by the body, as a server reads them (an INSERT's data
 * follows its statement on the next line), or whichever of the two is present.
 */
export function requestSql(urlQuery: string, body: string): string {
  if (urlQuery === '') return body;
  if (body === '') return urlQuery;
  return `${urlQuery}\n${body}`;
}

/** A ClickHouse string literal of `value`: backslash and single quote escaped, as the server's own formatter does. */
export function quoteStringLiteral(value: string): string {
  let out = "'";
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\0') out += '\\0';
    else out += ch;
  }
  return `${out}'`;
}

const BINARY_FORMATS = /^(RowBinary\w*|Native|Parquet|Arrow\w*|ORC|Avro\w*|Protobuf\w*|MsgPack|CapnProto|BSONEachRow|Npy|RawBLOB)$/i;

/**
 * The binary input format an INSERT in the URL names, if any. chDB's Node binding takes SQL and inline data as
 * one JS string, which cannot carry arbitrary bytes, so such data would arrive corrupted: refuse it instead.
 */
export function binaryInputFormat(urlQuery: string): string | null {
  const m = /\bFORMAT\s+([A-Za-z0-9_]+)\s*$/i.exec(urlQuery);
  const format = m?.[1];
  return format !== undefined && BINARY_FORMATS.test(format) ? format : null;
}

const INSERT_STATEMENT = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*INSERT\b/i;

/** Whether `sql` starts with INSERT (after comments). */
export function isInsertStatement(sql: string): boolean {
  return INSERT_STATEMENT.test(sql);
}

/**
 * Whether the statements of a request may change its session beyond its URL settings: only `SET` and `USE`
 * do. Conservative (the word anywhere counts); an INSERT's data after its statement in the URL is not looked at.
 */
export function mayChangeSession(urlQuery: string, sql: string): boolean {
  return /\b(SET|USE)\b/i.test(isInsertStatement(urlQuery) ? urlQuery : sql);
}
