import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { avroTypeOptions } from '@sextant/contracts';
import { AvroSerde } from './avro.serde';
import { RegistryUnavailableError } from './kafka.errors';
import { REGISTRY_URL, testDeps, uniqueName } from './testing/int-env';

const SCHEMA = { type: 'record', name: 'Faulted', namespace: 'io.sextant.test', fields: [{ name: 'n', type: 'long' }] };

/** What the proxy does with one schema POST: drop the connection, never answer, answer 503, or pass it on. */
type Fault = 'reset' | 'hang' | '503' | 'pass';

/**
 * A proxy in front of the real registry that applies a scripted fault to each schema registration request
 * (POST .../versions) in turn, and passes everything else through.
 */
class FaultyRegistryProxy {
  private readonly server: Server;
  private readonly target = new URL(REGISTRY_URL);
  private readonly hanging: ServerResponse[] = [];
  registrations = 0;

  constructor(private readonly script: Fault[]) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.target.pathname}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const isRegistration = req.method === 'POST' && /\/subjects\/[^/]+\/versions$/.test(req.url ?? '');
    const fault: Fault = isRegistration ? (this.script[this.registrations++] ?? 'pass') : 'pass';
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (fault === '503') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error_code":503,"message":"unavailable"}');
      return;
    }
    const upstream = request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

describe('AvroSerde against a registry that drops requests (real registry behind a faulty proxy)', () => {
  const deps = testDeps();
  const proxies: FaultyRegistryProxy[] = [];
  const serdeVia = (url: string) => new AvroSerde({ url, username: '', password: '', requestTimeoutMs: 500 }, avroTypeOptions(), deps);
  let direct: AvroSerde;

  before(() => {
    direct = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, avroTypeOptions(), deps);
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
  });

  async function proxy(script: Fault[]): Promise<{ proxy: FaultyRegistryProxy; url: string }> {
    const p = new FaultyRegistryProxy(script);
    proxies.push(p);
    return { proxy: p, url: await p.start() };
  }

  it('registers through a reset connection, an unanswered request and a 503, with the id the registry gives', async () => {
    const subject = `${uniqueName('faulted')}-value`;
    const { proxy: p, url } = await proxy(['reset', 'hang', '503']);
    const id = await serdeVia(url).register(subject, SCHEMA);
    assert.equal(p.registrations, 4, 'three dropped attempts, then the one that reached the registry');
    assert.equal(await direct.register(subject, SCHEMA), id, 'the registry holds the schema under that id');
  });

  it('gives up with RegistryUnavailableError, in bounded time, when the registry never answers', async () => {
    const { proxy: p, url } = await proxy(['hang', 'hang', 'hang', 'hang', 'hang', 'hang']);
    await assert.rejects(serdeVia(url).register(`${uniqueName('faulted')}-value`, SCHEMA), RegistryUnavailableError);
    assert.equal(p.registrations, 4, 'each attempt timed out; no attempt beyond the bound');
  });
});
