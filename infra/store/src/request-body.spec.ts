import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { BodyError, readBody, type BodyLimits } from './request-body';

/** A local HTTP server whose handler answers with what readBody made of the request. */
describe('readBody', () => {
  let server: Server;
  let port = 0;
  let limits: BodyLimits = { maxBodyBytes: 1024, maxDecompressedBytes: 4096 };

  before(async () => {
    server = createServer((req, res) => {
      readBody(req, limits).then(
        (body) => res.end(`ok:${body}`),
        (err: unknown) => res.end(`${err instanceof BodyError ? err.status : 500}:${err instanceof Error ? err.message : ''}`),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    port = typeof a === 'object' && a !== null ? a.port : 0;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function send(body: Buffer, headers: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('reads plain and gzip bodies', async () => {
    assert.equal(await send(Buffer.from('{"a":1}\n')), 'ok:{"a":1}\n');
    assert.equal(await send(gzipSync(Buffer.from('1\t2\n')), { 'Content-Encoding': 'gzip' }), 'ok:1\t2\n');
  });

  it('answers 413 past either limit, on a connection still usable for the answer', async () => {
    limits = { maxBodyBytes: 1024, maxDecompressedBytes: 4096 };
    assert.match(await send(Buffer.alloc(5000, 'x')), /^413:request body exceeds/);
    assert.match(await send(gzipSync(Buffer.alloc(100_000, 'x')), { 'Content-Encoding': 'gzip' }), /^413:decompressed request body exceeds/);
  });

  it('refuses an unknown encoding with 415 and a corrupt one with 400', async () => {
    assert.match(await send(Buffer.from('x'), { 'Content-Encoding': 'lzma' }), /^415:/);
    assert.match(await send(Buffer.from('not gzip'), { 'Content-Encoding': 'gzip' }), /^400:cannot decode/);
  });
});
