import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteWriteDecodeError, RemoteWriteTooLargeError } from './remote-write.error';
import { decompressSnappyBody, nativeSnappyBlockCodec, snappyDecodedLength, type SnappyBlockCodec } from './snappy-block';

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
