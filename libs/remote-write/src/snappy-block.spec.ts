import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteWriteDecodeError, RemoteWriteTooLargeError } from './remote-write.error';
import { decompressSnappyBlock, decompressSnappyBody, nativeSnappyBlockCodec, snappyDecodedLength, type SnappyBlockCodec } from './snappy-block';

const text = Buffer.from('remote write remote write remote write remote write');
const block = nativeSnappyBlockCodec.compress(text);

describe('snappy block bodies', () => {
  it('round-trips through the native codec in block format (length preamble first)', () => {
    assert.equal(snappyDecodedLength(block), text.length);
    assert.equal(block[0], text.length);
    assert.deepEqual(Buffer.from(decompressSnappyBody(block, 1024)), text);
  });

  it('reads multi-byte length preambles and refuses corrupt ones', () => {
    assert.equal(snappyDecodedLength(Uint8Array.from([0x80, 0x01])), 128);
    assert.equal(snappyDecodedLength(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f])), 0xffffffff);
    for (const bad of [[], [0x80], [0xff, 0xff, 0xff, 0xff, 0x1f], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]]) {
      assert.throws(() => snappyDecodedLength(Uint8Array.from(bad)), { name: 'RemoteWriteDecodeError', message: 'invalid snappy block: corrupt length preamble' });
    }
  });

  it('refuses with 413 before decompressing when the body or its announced length is over the limit', () => {
    let calls = 0;
    const counting: SnappyBlockCodec = { compress: nativeSnappyBlockCodec.compress, decompress: (b) => (calls++, nativeSnappyBlockCodec.decompress(b)) };
    assert.throws(
      () => decompressSnappyBody(block, text.length - 1, counting),
      (err: unknown) => err instanceof RemoteWriteTooLargeError && err.statusCode === 413 && err.what === 'decompressed' && err.bytes === text.length,
    );
    const bomb = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
    assert.throws(() => decompressSnappyBody(bomb, 32 * 1024 * 1024, counting), {
      message: 'decompressed remote-write body of 4294967295 bytes exceeds the limit of 33554432 bytes',
    });
    assert.throws(() => decompressSnappyBody(block, block.length - 1, counting), {
      message: `compressed remote-write body of ${block.length} bytes exceeds the limit of ${block.length - 1} bytes`,
    });
    assert.equal(calls, 0);
    assert.equal(decompressSnappyBody(block, text.length, counting).length, text.length);
  });

  it('refuses corrupt data with 400', () => {
    const corrupt = Buffer.from(block);
    corrupt[0] = text.length - 3; // the data decodes to more than the preamble announces
    assert.throws(() => decompressSnappyBody(corrupt, 1024), (err: unknown) => err instanceof RemoteWriteDecodeError && /^invalid snappy block: /.test(err.message));
    assert.throws(() => decompressSnappyBody(Uint8Array.from([5, 1, 2, 3]), 1024), { name: 'RemoteWriteDecodeError' });
    assert.throws(() => decompressSnappyBody(new Uint8Array(0), 1024), { message: 'invalid snappy block: corrupt length preamble' });
  });
});

describe('decompressSnappyBlock (JavaScript, reused output buffer)', () => {
  /** Compressible bytes: runs, repeats near and far, and noise, from a seed. */
  function sample(seed: number, length: number): Buffer {
    let a = seed;
    const next = () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a >>> 8;
    };
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      const r = next() % 10;
      out[i] = r < 4 && i > 0 ? (out[i - 1] as number) : r < 7 && i > 300 ? (out[i - 1 - (next() % 300)] as number) : next() & 0xff;
    }
    return out;
  }

  it('gives the native codec\'s bytes, small and large (past the reused buffer), long literals and overlapping copies', () => {
    for (const [seed, length] of [[1, 0], [2, 1], [3, 100], [4, 70_000], [5, 300_000], [6, 5 * 1024 * 1024]] as const) {
      const data = sample(seed, length);
      const compressed = nativeSnappyBlockCodec.compress(data);
      assert.ok(Buffer.from(decompressSnappyBlock(compressed)).equals(data), `seed ${seed}`);
    }
    const runs = Buffer.from('ab'.repeat(5000) + 'x'.repeat(100_000));
    assert.ok(Buffer.from(decompressSnappyBlock(nativeSnappyBlockCodec.compress(runs))).equals(runs));
  });

  it('accepts and refuses exactly what the native codec does, for every truncation and many corruptions of a block', () => {
    const data = sample(7, 3000);
    const compressed = Buffer.from(nativeSnappyBlockCodec.compress(data));
    const outcome = (codec: (b: Uint8Array) => Uint8Array, b: Uint8Array): string => {
      try {
        return Buffer.from(codec(b)).toString('hex');
      } catch {
        return 'error';
      }
    };
    const cases: Buffer[] = [];
    for (let end = 0; end < compressed.length; end++) cases.push(compressed.subarray(0, end));
    for (let i = 0; i < 2000; i++) {
      const corrupt = Buffer.from(compressed);
      corrupt[(i * 7919) % corrupt.length] ^= 1 << (i % 8);
      cases.push(corrupt);
    }
    for (const [i, b] of cases.entries()) {
      let announced: number;
      try {
        announced = snappyDecodedLength(b);
      } catch {
        continue; // refused before any codec runs
      }
      if (announced > 1 << 20) continue;
      assert.equal(outcome(decompressSnappyBlock, b), outcome(nativeSnappyBlockCodec.decompress, b), `case ${i}`);
    }
  });

  it('reuses its output buffer: a result is read before the next call', () => {
    const first = decompressSnappyBlock(nativeSnappyBlockCodec.compress(Buffer.from('first body')));
    assert.equal(Buffer.from(first).toString(), 'first body');
    decompressSnappyBlock(nativeSnappyBlockCodec.compress(Buffer.from('other body')));
    assert.equal(Buffer.from(first).toString(), 'other body');
  });
});
