/**
 * The store's HTTP server: ClickHouse's HTTP interface on `/` (query in the URL, the body, or both; results as
 * bytes in the requested format; errors as the server words them), `/ping`, and the process endpoints
 * `/healthz`, `/readyz` and `/metrics` on the same port. Every query takes an engine session from the pool
 * before its body is read, so memory is bounded by sessions × body limit however many callers push. `stop()`
 * drains: new requests get 503, admitted ones finish, then the sessions close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Logger, ReadinessChecks, Registry } from '@sextant/telemetry';
import { errorAnswer, errorAnswerOf, type ErrorAnswer } from './clickhouse-error';
import { binaryInputFormat, isInsertStatement, parseClickHouseRequest, requestSql, RequestError, type ClickHouseRequest } from './clickhouse-request';
import { runOnSession, type EngineSession, type QueryOutcome, type ReadonlyCaps } from './engine-session';
import { BodyError, readBody, type BodyLimits } from './request-body';
import { PoolClosedError, QueueFullError, type SessionPool } from './session-pool';
import type { StoreMetrics } from './store.metrics';

export interface StoreServerOptions {
  host: string;
  port: number;
  pool: SessionPool<EngineSession>;
  limits: BodyLimits & { readonlyMaxQueryBytes: number };
  caps: ReadonlyCaps;
  retryAfterSeconds: number;
  wedgedAfterMs: number;
  registry: Registry;
  readiness: ReadinessChecks;
  metrics: StoreMetrics;
  logger: Logger;
}

const gzip = promisify(gzipCallback);

/** The kind of a statement, for metrics and for whether a summary can be told. */
function kindOf(sql: string): 'insert' | 'query' {
  return isInsertStatement(sql) ? 'insert' : 'query';
}

export class StoreServer {
  private readonly server: Server;

  constructor(private readonly opts: StoreServerOptions) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        opts.logger.error({ err }, 'request failed outside the query path');
        if (!res.headersSent) this.sendError(res, errorAnswerOf(err));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 10_000;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.opts.port;
  }

  /** Drains admitted requests, closes the engine sessions, then the server. */
  async stop(): Promise<void> {
    this.opts.readiness.markShuttingDown();
    await this.opts.pool.drain();
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://store');
    const method = req.method ?? 'GET';
    if (url.pathname === '/ping' && (method === 'GET' || method === 'HEAD')) return this.sendText(res, 200, 'Ok.\n');
    if (url.pathname === '/healthz' && method === 'GET') {
      const oldestMs = this.opts.pool.oldestRunningMs();
      if (oldestMs > this.opts.wedgedAfterMs) return this.sendJson(res, 503, { status: 'wedged', oldestRunningMs: oldestMs });
      return this.sendJson(res, 200, { status: 'ok', oldestRunningMs: oldestMs });
    }
    if (url.pathname === '/readyz' && method === 'GET') {
      const report = await this.opts.readiness.run();
      return this.sendJson(res, report.ready ? 200 : 503, report);
    }
    if (url.pathname === '/metrics' && method === 'GET') {
      const text = await this.opts.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.opts.registry.contentType });
      res.end(text);
      return;
    }
    if (url.pathname === '/' && (method === 'GET' || method === 'POST')) return this.query(req, res, method, url.searchParams);
    req.resume();
    this.sendText(res, 404, `no such endpoint: ${method} ${url.pathname}\n`);
  }

  private async query(req: IncomingMessage, res: ServerResponse, method: string, search: URLSearchParams): Promise<void> {
    let request: ClickHouseRequest;
    try {
      request = parseClickHouseRequest(method, search);
    } catch (err: unknown) {
      req.resume();
      return this.sendError(res, err instanceof RequestError ? errorAnswer(err.code, err.type, err.message) : errorAnswerOf(err));
    }
    const queryId = request.queryId === '' ? randomUUID() : request.queryId;
    let kind = 'query';
    let outcome: QueryOutcome;
    try {
      outcome = await this.opts.pool.run(async (session) => {
        const read = await this.readSql(req, request);
        if ('error' in read) return { value: { ok: false, error: read.error }, spoiled: false };
        kind = kindOf(read.sql);
        const stop = this.opts.metrics.duration.startTimer({ kind });
        const done = await runOnSession(session, request, read.sql, this.opts.caps);
        stop();
        return done;
      });
    } catch (err: unknown) {
      req.resume();
      if (err instanceof QueueFullError || err instanceof PoolClosedError) {
        if (err instanceof QueueFullError) this.opts.metrics.rejected.inc();
        this.opts.metrics.requests.inc({ kind: 'unknown', outcome: 'rejected' });
        res.setHeader('Retry-After', String(this.opts.retryAfterSeconds));
        return this.sendError(res, { ...errorAnswer(202, 'TOO_MANY_SIMULTANEOUS_QUERIES', err.message), status: 503 });
      }
      throw err;
    }
    this.opts.metrics.requests.inc({ kind, outcome: outcome.ok ? 'ok' : 'error' });
    res.setHeader('X-ClickHouse-Query-Id', queryId);
    res.setHeader('X-ClickHouse-Timezone', 'UTC');
    if (!outcome.ok) return this.sendError(res, this.answerOf(outcome.error));
    const { answer } = outcome;
    // chDB does not tell how many rows an INSERT wrote (nor whether its token deduplicated it); a made-up
    // written_rows would read as "all deduplicated" to callers that trust it, so inserts carry no summary.
    if (kind !== 'insert') {
      const summary = { read_rows: String(answer.rowsRead), read_bytes: String(answer.bytesRead), written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: String(answer.rowsRead), result_bytes: String(answer.bytes.length), elapsed_ns: String(Math.round(answer.elapsedSeconds * 1e9)) };
      res.setHeader('X-ClickHouse-Summary', JSON.stringify(summary));
    }
    const body = Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength);
    // Off the event loop: a large result must not stall every other request while it is compressed.
    const compressed = request.compressResponse && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? await gzip(body) : null;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', ...(compressed !== null ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(compressed ?? body);
  }

  /** The SQL of a request (URL query and body), or why it cannot run. */
  private async readSql(req: IncomingMessage, request: ClickHouseRequest): Promise<{ sql: string } | { error: unknown }> {
    try {
      const body = await readBody(req, this.opts.limits);
      this.opts.metrics.bodyBytes.inc(body.length);
      const binary = body === '' ? null : binaryInputFormat(request.urlQuery);
      if (binary !== null) return { error: new RequestError(73, 'UNKNOWN_FORMAT', `The store takes text input formats only (JSONEachRow, JSONCompactEachRow, TabSeparated, CSV, ...), not ${binary}`) };
      const sql = requestSql(request.urlQuery, body);
      if (sql.trim() === '') return { error: new RequestError(62, 'SYNTAX_ERROR', 'Empty query: send SQL as ?query= or as the request body') };
      const bytes = Buffer.byteLength(sql);
      if (request.readonly && bytes > this.opts.limits.readonlyMaxQueryBytes) {
        return { error: new RequestError(62, 'SYNTAX_ERROR', `Max query size exceeded: ${bytes} bytes, a read-only request may send ${this.opts.limits.readonlyMaxQueryBytes}`) };
      }
      return { sql };
    } catch (error: unknown) {
      return { error };
    }
  }

  private answerOf(err: unknown): ErrorAnswer {
    if (err instanceof RequestError) return errorAnswer(err.code, err.type, err.message);
    // Code 131 (a value too large) puts a too-large body in the class of errors that blame the rows: a writer
    // that splits a refused batch (as the sink's inserter does) then finds the row that does not fit.
    if (err instanceof BodyError) return { ...errorAnswer(err.status === 413 ? 131 : 1001, err.status === 413 ? 'TOO_LARGE_STRING_SIZE' : 'STD_EXCEPTION', err.message), status: err.status };
    return errorAnswerOf(err);
  }

  private sendError(res: ServerResponse, answer: ErrorAnswer): void {
    res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': String(answer.code) });
    res.end(answer.body);
  }

  private sendText(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8' });
    res.end(text);
  }

  private sendJson(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value));
  }
}
