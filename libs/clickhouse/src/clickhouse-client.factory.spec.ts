import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { defaultClickHouseConfig } from './clickhouse.config';
import { createClickHouseClient, pingClickHouse } from './clickhouse-client.factory';

/** A loopback port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('createClickHouseClient', () => {
  it('refuses an invalid config before building anything', () => {
    assert.throws(() => createClickHouseClient({ ...defaultClickHouseConfig(), url: 'ftp://x' }), /http:\/\/ or https:\/\//);
  });

  it('fails fast when a configured TLS file is missing', () => {
    const config = { ...defaultClickHouseConfig(), url: 'https://127.0.0.1:8443', tls: { caPath: '/nonexistent/ca.pem', certPath: '', keyPath: '' } };
    assert.throws(() => createClickHouseClient(config), /ENOENT/);
  });

  it('reports a server that does not answer as not ready, without throwing', async () => {
    const client = createClickHouseClient({ ...defaultClickHouseConfig(), url: `http://127.0.0.1:${await closedPort()}`, requestTimeoutMs: 2000 });
    try {
      const health = await pingClickHouse(client);
      assert.equal(health.ok, false);
      assert.match(health.error ?? '', /ECONNREFUSED|connect/i);
    } finally {
      await client.close();
    }
  });
});
