import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpositionError } from './exposition.error';
import type { ExpositionEntry } from './exposition.model';
import { ExpositionParser, parseExposition, parseExpositionText } from './exposition-parser';

async function collect(chunks: (string | Uint8Array)[], format: 'prometheus-text' | 'openmetrics-text', limits = {}): Promise<ExpositionEntry[]> {
  const out: ExpositionEntry[] = [];
  for await (const e of parseExposition(chunks, { format, limits })) out.push(e);
  return out;
}

describe('parsing a body in chunks', () => {
  const body = '# HELP m Help é.\n# TYPE m gauge\nm{a="x\ny",b="😀"} 1 2\nm{a="z"} 3\n';

  it('gives the same entries whatever the chunk boundaries, even inside a UTF-8 character', async () => {
    const whole = [...parseExpositionText(body, { format: 'prometheus-text' })];
    const bytes = Buffer.from(body);
    for (let size = 1; size <= 7; size++) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      assert.deepEqual(await collect(chunks, 'prometheus-text'), whole, `chunks of ${size} bytes`);
    }
    assert.equal(whole.length, 4);
  });

  it('yields entries as lines complete, before the body has ended', () => {
    const parser = new ExpositionParser({ format: 'prometheus-text' });
    assert.deepEqual(parser.push('a 1\nb'), [{ kind: 'series', line: 1, name: 'a', labels: [{ name: '__name__', value: 'a' }], value: 1 }]);
    assert.deepEqual(parser.push(' 2'), []);
    assert.equal(parser.end().length, 1);
    assert.equal(parser.bodyBytes, 7);
  });

  it('treats an empty body as an empty scrape, also for OpenMetrics', async () => {
    assert.deepEqual(await collect([], 'openmetrics-text'), []);
    assert.deepEqual(await collect([''], 'prometheus-text'), []);
  });

  it('fails a body that reaches the body size limit, as Prometheus does (a body of exactly the limit fails)', async () => {
    await assert.rejects(collect(['a 1\n', 'b 2\n'], 'prometheus-text', { maxBodyBytes: 8 }), { message: 'body size limit exceeded' });
    assert.equal((await collect(['a 1\n', 'b 2\n'], 'prometheus-text', { maxBodyBytes: 9 })).length, 2);
  });

  it('fails a line over the line limit, also before its end has arrived', () => {
    const parser = new ExpositionParser({ format: 'prometheus-text', limits: { maxLineBytes: 10 } });
    parser.push('short 1\n');
    assert.throws(() => parser.push('x'.repeat(11)), (err: unknown) => err instanceof ExpositionError && err.line === 2 && /longer than the limit of 10 bytes/.test(err.message));
    const multiByte = new ExpositionParser({ format: 'prometheus-text', limits: { maxLineBytes: 10 } });
    assert.throws(() => multiByte.push('m{a="éééé"} 1\n'), /line 1: line longer/);
    const joined = new ExpositionParser({ format: 'prometheus-text', limits: { maxLineBytes: 10 } });
    assert.throws(() => joined.push('m{a="1234\n56789"} 1\n'), /line 1: line longer/, 'a record spanning lines counts as one line');
  });

  it('rejects invalid limits', () => {
    assert.throws(() => new ExpositionParser({ format: 'prometheus-text', limits: { maxLineBytes: -1 } }), /maxLineBytes must be an integer ≥ 0/);
  });

  it('reports the error of the first bad line and stops there', async () => {
    const seen: ExpositionEntry[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of parseExposition(['a 1\nb x\nc 3\n'], { format: 'prometheus-text' })) seen.push(e);
      })(),
      (err: unknown) => err instanceof ExpositionError && err.line === 2,
    );
    assert.deepEqual(
      seen.map((e) => e.kind),
      [],
      'entries of a chunk are handed out after the chunk parsed, so a bad chunk yields none',
    );
  });
});
