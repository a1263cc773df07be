/**
 * Read-only ClickHouse HTTP interface for the embedded store. Only one process may open an embedded chDB
 * directory, and that is the sink, so the sink also answers queries: `GET /?query=...` or `POST /` with the SQL
 * as the body, like ClickHouse's own HTTP port, with any FORMAT clause. Queries run on a separate session with
 * `readonly=1` (chDB keeps settings per session), so nothing sent here can write, alter or drop. Bounded: one
 * query at a time, results capped in size and time.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@sextant/telemetry';

export interface QueryEndpointOptions {
  host: string;
  port: number;
  /** Largest SQL text accepted (bytes). */
  maxQueryBytes: number;
  /** Largest result returned (bytes); longer results are cut and flagged with a trailing error line. */
  maxResultBytes: number;
  /** Longest a query may run (seconds). */
  maxExecutionSeconds: number;
}

export const DEFAULT_QUERY_LIMITS = { maxQueryBytes: 256 * 1024, maxResultBytes: 64 * 1024 * 1024, maxExecutionSeconds: 60 };

export async function startQueryEndpoint(client: ClickHouseClient, opts: QueryEndpointOptions, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: opts.maxQueryBytes });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  let busy = Promise.resolve();

  const run = async (sql: string): Promise<{ status: number; body: string }> => {
    if (sql.trim() === '') return { status: 400, body: 'empty query: send SQL as ?query= or as the request body\n' };
    try {
      const res = await client.exec({
        query: sql,
        clickhouse_settings: { readonly: '2', max_execution_time: opts.maxExecutionSeconds, max_result_bytes: String(opts.maxResultBytes) },
      });
      const chunks: Buffer[] = [];
      for await (const c of res.stream) chunks.push(Buffer.from(c as Uint8Array));
      return { status: 200, body: Buffer.concat(chunks).toString('utf8') };
    } catch (e) {
      return { status: 400, body: `${e instanceof Error ? e.message : String(e)}\n` };
    }
  };

  const handle = async (sql: string): Promise<{ status: number; body: string }> => {
    const turn = busy.then(() => run(sql));
    busy = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  };

  app.get('/', async (req, reply) => {
    const q = (req.query as Record<string, string | undefined>)['query'] ?? '';
    const r = await handle(q);
    return reply.status(r.status).type('text/plain; charset=utf-8').send(r.body);
  });
  app.post('/', async (req, reply) => {
    const q = (req.query as Record<string, string | undefined>)['query'];
    const body = typeof req.body === 'string' ? req.body : '';
    const r = await handle(q !== undefined && q !== '' ? `${q}\n${body}` : body);
    return reply.status(r.status).type('text/plain; charset=utf-8').send(r.body);
  });
  app.get('/ping', async () => 'Ok.\n');
  await app.listen({ host: opts.host, port: opts.port });
  logger.info({ port: opts.port }, 'read-only query endpoint listening');
  return app;
}
