/**
 * A scrape target for tests: an HTTP server on port 0 that answers every GET with the exposition it is told
 * to serve (Content-Type, gzip, delay, status), and records the requests it got.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** Content types of the two text formats. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TEXT = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** What the target answers. */
export interface FakeTargetResponse {
  readonly body: string;
  /** Default Prometheus text 0.0.4; null sends no Content-Type. */
  readonly contentType?: string | null;
  readonly gzip?: boolean;
  /** Wait this long before answering (a slow target). */
  readonly delayMs?: number;
  readonly status?: number;
}

/** A request the target received. */
export interface FakeTargetRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export class FakeTarget {
  readonly requests: FakeTargetRequest[] = [];
  private response: FakeTargetResponse = { body: '' };
  private readonly open = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1, port 0. */
  static async start(response?: FakeTargetResponse): Promise<FakeTarget> {
    const target: FakeTarget = new FakeTarget(createServer((req, res) => target.answer(req.url ?? '/', req.headers, res)));
    if (response !== undefined) target.serve(response);
    await new Promise<void>((resolve) => target.server.listen(0, '127.0.0.1', resolve));
    return target;
  }

  /** `127.0.0.1:<port>`. */
  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  serve(response: FakeTargetResponse): void {
    this.response = response;
  }

  /** Stops listening and drops open connections (the target disappears). */
  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(url: string, headers: IncomingHttpHeaders, res: ServerResponse): void {
    this.requests.push({ url, headers });
    const r = this.response;
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    const send = (): void => {
      if (res.destroyed) return;
      const body = r.gzip === true ? gzipSync(r.body) : Buffer.from(r.body, 'utf8');
      const head: Record<string, string> = {};
      if (r.contentType !== null) head['Content-Type'] = r.contentType ?? PROMETHEUS_TEXT;
      if (r.gzip === true) head['Content-Encoding'] = 'gzip';
      res.writeHead(r.status ?? 200, head);
      res.end(body);
    };
    if (r.delayMs !== undefined && r.delayMs > 0) setTimeout(send, r.delayMs).unref();
    else send();
  }
}
