import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs';
import { lastStringWasUtf8, readInt64, readRepeated, readSint64, readString, readUint64, wireReader, WireError, WIRE_VARINT } from './proto-wire';

describe('wire reads', () => {
  it('reads 64-bit varints as numbers: int64, uint64 and zigzag sint64', () => {
    const values = [0, 1, -1, 127, 128, -129, 2 ** 31, -(2 ** 31), 2 ** 32 + 5, -(2 ** 40) - 7, 2 ** 53 - 1, -(2 ** 53 - 1)];
    const w = Writer.create();
    for (const v of values) w.int64(v).sint64(v);
    w.uint64(2 ** 53 - 1).uint64(2 ** 32);
    const r = wireReader(w.finish());
    for (const v of values) {
      assert.equal(readInt64(r), v, `int64 ${v}`);
      assert.equal(readSint64(r), v, `sint64 ${v}`);
    }
    assert.equal(readUint64(r), 2 ** 53 - 1);
    assert.equal(readUint64(r), 2 ** 32);
    assert.equal(r.pos, r.len);
  });

  it('refuses truncated and over-long varints', () => {
    assert.throws(() => readInt64(wireReader(Uint8Array.from([0x80, 0x80]))), (e: unknown) => e instanceof WireError && /truncated message/.test(e.message));
    assert.throws(() => readInt64(wireReader(new Uint8Array(11).fill(0x80))), { message: 'varint longer than 10 bytes at offset 0' });
  });

  it('decodes strings and reports invalid UTF-8, interning repeated short ones', () => {
    const w = Writer.create().string('job').string('job').bytes(Buffer.from([0xf0, 0x28])).string('Zürich').string('x'.repeat(100));
    const r = wireReader(w.finish());
    const first = readString(r);
    assert.equal(first, 'job');
    assert.equal(lastStringWasUtf8(), true);
    assert.equal(readString(r), 'job');
    readString(r);
    assert.equal(lastStringWasUtf8(), false);
    assert.equal(readString(r), 'Zürich');
    assert.equal(lastStringWasUtf8(), true);
    assert.equal(readString(r), 'x'.repeat(100));
  });

  it('does not confuse interned strings that share a slot or a length', () => {
    const words = Array.from({ length: 20000 }, (_, i) => `w${i}`);
    const w = Writer.create();
    for (const word of words) w.string(word);
    for (const word of words) w.string(word);
    const r = wireReader(w.finish());
    for (const word of [...words, ...words]) assert.equal(readString(r), word);
  });

  it('reads repeated scalars packed or not', () => {
    const out: number[] = [];
    const packed = wireReader(Writer.create().fork().uint32(1).uint32(300).ldelim().finish());
    readRepeated(packed, 2, WIRE_VARINT, (r) => r.uint32(), out, 'refs');
    readRepeated(wireReader(Writer.create().uint32(7).finish()), WIRE_VARINT, WIRE_VARINT, (r) => r.uint32(), out, 'refs');
    assert.deepEqual(out, [1, 300, 7]);
    assert.throws(() => readRepeated(wireReader(Writer.create().double(1).finish()), 1, WIRE_VARINT, (r) => r.uint32(), out, 'refs'), {
      message: 'wrong wire type 1 for field refs at offset 0',
    });
  });
});
