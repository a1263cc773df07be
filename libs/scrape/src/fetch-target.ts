/**
 * The HTTP side of a scrape, as Prometheus's scraper sends it: GET with the negotiated Accept header,
 * `Accept-Encoding: gzip`, `X-Prometheus-Scrape-Timeout-Seconds`, and one deadline over connecting and reading
 * the whole body. The body is handed out as a stream of (gunzipped) chunks for the parser to read as it comes.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import { acceptHeader } from '@sextant/exposition';
import { targetUrl, type ScrapeTarget } from './scrape-target';

/** User-Agent of Sextant's scrapes. */
export const SCRAPE_USER_AGENT = 'Sextant-Scraper/0.1';

/** A response ready to be read: its Content-Type and its body. */
export interface ScrapeResponse {
  readonly contentType: string | undefined;
  readonly body: AsyncIterable<Buffer>;
  /** Drops the rest of the body (after a failure, or when it is not to be read). */
  discard(): void;
}

/** Why a scrape failed before parsing, worded as Prometheus words it. */
export class ScrapeFetchError extends Error {
  constructor(
    message: string,
    readonly reason: 'http' | 'timeout',
  ) {
    super(message);
    this.name = 'ScrapeFetchError';
  }
}

/** Options of one fetch. */
export interface FetchOptions {
  /** Aborts the fetch and its body (the scrape timeout, or the loop stopping). */
  readonly signal: AbortSignal;
  /** Accept header; default Prometheus 3's. */
  readonly accept?: string;
  /** Skip TLS certificate verification of https targets. Default false. */
  readonly insecureSkipVerify?: boolean;
}

/** Starts the GET; resolves once a 200 response's headers are in. Rejects with ScrapeFetchError. */
export function fetchTarget(target: ScrapeTarget, options: FetchOptions): Promise<ScrapeResponse> {
  const url = targetUrl(target);
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'GET',
      headers: {
        Accept: options.accept ?? acceptHeader(),
        'Accept-Encoding': 'gzip',
        'User-Agent': SCRAPE_USER_AGENT,
        'X-Prometheus-Scrape-Timeout-Seconds': String(target.timeoutMs / 1000),
      },
      ...(target.scheme === 'https' ? { rejectUnauthorized: options.insecureSkipVerify !== true } : {}),
    });
    const onAbort = (): void => {
      req.destroy(new ScrapeFetchError(`Get "${url}": context deadline exceeded`, 'timeout'));
    };
    if (options.signal.aborted) onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(err instanceof ScrapeFetchError ? err : new ScrapeFetchError(`Get "${url}": ${err.message}`, 'http'));
    });
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        options.signal.removeEventListener('abort', onAbort);
        reject(new ScrapeFetchError(`server returned HTTP status ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd(), 'http'));
        return;
      }
      const gzipped = (res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
      const body = gzipped ? res.pipe(createGunzip()) : res;
      if (gzipped) res.on('error', (err) => body.destroy(err));
      const abortBody = (): void => {
        const err = new ScrapeFetchError(`Get "${url}": context deadline exceeded`, 'timeout');
        res.destroy(err);
        body.destroy(err);
      };
      options.signal.removeEventListener('abort', onAbort);
      if (options.signal.aborted) abortBody();
      else options.signal.addEventListener('abort', abortBody, { once: true });
      body.on('close', () => options.signal.removeEventListener('abort', abortBody));
      resolve({
        contentType: res.headers['content-type'],
        body,
        discard: () => {
          res.destroy();
          body.destroy();
        },
      });
    });
    req.end();
  });
}
