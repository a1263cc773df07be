import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { avroType } from './avro-type';
import { SHORT_ASCII_UNITS, writeShortAscii } from './avro-string-writer';

/** An Avro string as the spec defines it: zig-zag varint of the UTF-8 byte length, then the bytes. */
function avroString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const head: number[] = [];
  let n = bytes.length * 2;
  while (n > 0x7f) {
    head.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  head.push(n);
  return Buffer.concat([Buffer.from(head), bytes]);
}

const SAMPLES = [
  '', 'a', 'GET', 'service.name', 'x'.repeat(SHORT_ASCII_UNITS), 'y'.repeat(SHORT_ASCII_UNITS + 1), 'z'.repeat(300),
  'é', 'naïve', '日本語', '🙂', `${'a'.repeat(SHORT_ASCII_UNITS - 1)}é`, `é${'b'.repeat(40)}`, '\u007f\u0000\n',
];

describe('short ASCII Avro strings', () => {
  it('encode every string exactly as the Avro spec (and avsc) do, through the installed writer', () => {
    const type = avroType('"string"');
    for (const s of SAMPLES) {
      const encoded = type.toBuffer(s);
      assert.deepEqual(encoded, avroString(s), JSON.stringify(s));
      assert.equal(type.fromBuffer(encoded), s);
    }
  });
  it('round-trips records whose maps mix short, long and non-ASCII strings', () => {
    const type = avroType({ type: 'record', name: 'R', fields: [{ name: 'm', type: { type: 'map', values: 'string' } }, { name: 's', type: 'string' }] });
    const value = { m: Object.fromEntries(SAMPLES.map((s, i) => [`${s}${i}`, s])), s: 'tail' };
    const decoded = type.fromBuffer(type.toBuffer(value)) as typeof value;
    assert.deepEqual({ m: decoded.m, s: decoded.s }, value);
  });
  it('declines (changing nothing) what it does not write: long, non-ASCII, or no room left', () => {
    const tap = { buf: Buffer.alloc(8, 0xee), pos: 2 };
    for (const s of ['y'.repeat(SHORT_ASCII_UNITS + 1), 'abé', 'abcdef']) {
      assert.equal(writeShortAscii(tap, s), false, s);
      assert.equal(tap.pos, 2);
    }
    assert.equal(writeShortAscii(tap, 'abcde'), true);
    assert.equal(tap.pos, 8);
    assert.deepEqual(tap.buf.subarray(2), avroString('abcde'));
  });
});
