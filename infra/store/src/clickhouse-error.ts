/**
 * Errors as a ClickHouse server answers them, so `@clickhouse/client` turns them into a `ClickHouseError` with
 * the right numeric code: the body is `Code: N. DB::Exception: <message> (TYPE)`, the header
 * X-ClickHouse-Exception-Code carries N, and the status follows the server's own mapping (400 for what the
 * request got wrong, 403 for read-only refusals, 404 for missing objects, 503 when overloaded, else 500).
 * chDB already words its errors this way; anything else (a JS error) is wrapped under code 1001.
 */

/** An error ready to send. */
export interface ErrorAnswer {
  status: number;
  code: number;
  body: string;
}

const ENGINE_ERROR = /Code: (\d+)\. [\s\S]*\([A-Z0-9_]*[A-Z]{3}[A-Z0-9_]*\)/;

const STATUS_BY_CODE = new Map<number, number>([
  [164, 403], // READONLY
  [497, 403], // ACCESS_DENIED
  [516, 401], // AUTHENTICATION_FAILED
  [60, 404], // UNKNOWN_TABLE
  [81, 404], // UNKNOWN_DATABASE
  [202, 503], // TOO_MANY_SIMULTANEOUS_QUERIES
]);

/** Codes that blame the request (bad SQL, bad data, bad parameter): 400, like the server. */
const BAD_REQUEST_CODES = new Set([6, 25, 26, 27, 36, 38, 41, 42, 43, 46, 47, 53, 62, 69, 70, 72, 73, 115, 117, 131, 321, 349, 456, 457]);

function statusOf(code: number): number {
  return STATUS_BY_CODE.get(code) ?? (BAD_REQUEST_CODES.has(code) ? 400 : 500);
}

/** The answer for a refusal the store itself decides (queue full, body too large, bad parameter). */
export function errorAnswer(code: number, type: string, message: string): ErrorAnswer {
  return { status: statusOf(code), code, body: `Code: ${code}. DB::Exception: ${message}. (${type})\n` };
}

/** The answer for whatever a query threw: the engine's own text when it carries a code, else code 1001. */
export function errorAnswerOf(err: unknown): ErrorAnswer {
  const message = err instanceof Error ? err.message : String(err);
  const m = ENGINE_ERROR.exec(message);
  if (m) {
    const code = Number(m[1]);
    return { status: statusOf(code), code, body: `${message.trimEnd()}\n` };
  }
  return errorAnswer(1001, 'STD_EXCEPTION', message.replace(/\s+$/, ''));
}
