/**
 * Builds the one `@clickhouse/client` client a process uses, for a real server (HTTP/HTTPS) or for the
 * embedded chDB engine plugged into the same client, so every caller writes the same SQL either way.
 * chDB binds one data directory per process and one process per directory: create the client once and share
 * it (the process that owns the embedded store also serves reads from it).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { isEmbeddedClickHouse, validateClickHouseConfig, type ClickHouseConfig } from './clickhouse.config';

/** Value of the client's `application` option (shows up in the server's query log as the http user agent). */
export const CLICKHOUSE_APPLICATION_NAME = 'sextant';

/** Validates `config` and returns a client for the configured server, or for embedded chDB when `url` is empty. */
export function createClickHouseClient(config: ClickHouseConfig): ClickHouseClient {
  validateClickHouseConfig(config);
  const common: ClickHouseClientConfigOptions = {
    application: CLICKHOUSE_APPLICATION_NAME,
    request_timeout: config.requestTimeoutMs,
  };
  if (isEmbeddedClickHouse(config)) {
    mkdirSync(config.path, { recursive: true });
    // chdb types its connection against @clickhouse/client-common 1.23.0, the client bundles 1.23.1's copy of
    // the same interface; the shapes differ only in settings typings, so the cast is sound.
    // Loaded only here: chdb throws at import when its native library is absent, as in images that talk to a
    // ClickHouse server and leave the 566 MB engine out.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/connection');
    const connection = createChdbConnection({ path: config.path }) as unknown as ClickHouseClientConfigOptions['connection'];
    return createClient({ ...common, connection });
  }
  return createClient({
    ...common,
    url: config.url,
    username: config.username,
    password: config.password,
    ...(config.tls === null ? {} : { tls: readTls(config.tls) }),
  });
}

function readTls(tls: NonNullable<ClickHouseConfig['tls']>): NonNullable<ClickHouseClientConfigOptions['tls']> {
  const ca_cert = readFileSync(tls.caPath);
  if (tls.certPath === '') return { ca_cert };
  return { ca_cert, cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
}

/** Outcome of a readiness check; `error` says why it failed. */
export interface ClickHouseHealth {
  ok: boolean;
  error?: string;
}

/**
 * Readiness probe: runs `SELECT 1` (not the server's `/ping`, which answers without checking credentials), so
 * a wrong password or an unreachable server reports not ready. Never throws.
 */
export async function pingClickHouse(client: ClickHouseClient): Promise<ClickHouseHealth> {
  try {
    const result = await client.ping({ select: true });
    if (result.success) return { ok: true };
    return { ok: false, error: result.error.message };
  } catch (err: unknown) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
