import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AvroSerde } from './avro.serde';
import { EnvelopePacker } from './envelope.packer';

interface Rec {
  key: string;
  body: string;
}

/** Encodes as JSON behind a 5-byte header: sizes grow with content as Avro's do. */
function fakeSerde(): { serde: AvroSerde; encodes: () => number } {
  let n = 0;
  const serde = {
    encodeSync: () => null,
    encode: async (id: number, value: unknown) => {
      n++;
      const payload = Buffer.from(JSON.stringify(value));
      const out = Buffer.alloc(5 + payload.length);
      out.writeUInt32BE(id, 1);
      payload.copy(out, 5);
      return out;
    },
  } as unknown as AvroSerde;
  return { serde, encodes: () => n };
}

function decode(v: Buffer): Rec[] {
  return (JSON.parse(v.subarray(5).toString()) as { records: Rec[] }).records;
}

const wrap = (records: Rec[]) => ({ records });

describe('EnvelopePacker', () => {
  it('puts each key into its own envelopes, keeping record order within a key', async () => {
    const { serde, encodes } = fakeSerde();
    const packer = new EnvelopePacker<Rec>(serde, 7, { maxRecords: 100, maxBytes: 100_000 }, wrap);
    const recs: Rec[] = [
      { key: 'a', body: '1' },
      { key: 'b', body: '2' },
      { key: 'a', body: '3' },
      { key: 'c', body: '4' },
      { key: 'b', body: '5' },
    ];
    const out = await packer.pack(recs, (r) => r.key);
    assert.deepEqual(out.messages.map((m) => m.key), ['a', 'b', 'c']);
    assert.deepEqual(out.messages.map((m) => decode(m.value).map((r) => r.body)), [['1', '3'], ['2', '5'], ['4']]);
    assert.deepEqual(out.contents.map((c) => c.map((r) => r.body)), [['1', '3'], ['2', '5'], ['4']]);
    assert.equal(out.messages[0]?.value.readUInt32BE(1), 7);
    assert.equal(encodes(), 3);
    assert.deepEqual(out.tooLarge, []);
  });

  it('cuts a key at maxRecords and at maxBytes, in order, every envelope within the bounds', async () => {
    const { serde } = fakeSerde();
    const maxBytes = 250;
    const packer = new EnvelopePacker<Rec>(serde, 1, { maxRecords: 4, maxBytes }, wrap);
    const recs = Array.from({ length: 23 }, (_, i) => ({ key: 'k', body: `${i}`.padEnd(20 + (i % 5) * 10, 'x') }));
    const out = await packer.pack(recs, (r) => r.key);
    const flat = out.messages.flatMap((m) => decode(m.value).map((r) => r.body));
    assert.deepEqual(flat, recs.map((r) => r.body));
    for (const m of out.messages) {
      assert.ok(m.value.length <= maxBytes, `${m.value.length} bytes`);
      assert.ok(decode(m.value).length <= 4);
    }
    assert.ok(out.messages.length > Math.ceil(23 / 4), 'the byte bound split some envelopes');
  });

  it('hands back a record too large to send alone, with its index, and packs the rest', async () => {
    const { serde } = fakeSerde();
    const packer = new EnvelopePacker<Rec>(serde, 1, { maxRecords: 10, maxBytes: 200 }, wrap);
    const recs: Rec[] = [
      { key: 'k', body: 'small' },
      { key: 'k', body: 'y'.repeat(500) },
      { key: 'j', body: 'also small' },
    ];
    const out = await packer.pack(recs, (r) => r.key);
    assert.equal(out.tooLarge.length, 1);
    assert.equal(out.tooLarge[0]?.index, 1);
    assert.ok((out.tooLarge[0]?.bytes ?? 0) > 200);
    assert.deepEqual(out.messages.flatMap((m) => decode(m.value).map((r) => r.body)), ['small', 'also small']);
  });

  it('keys each envelope by its first record when groups are partitions, not keys, also when a group is cut', async () => {
    const { serde } = fakeSerde();
    const packer = new EnvelopePacker<Rec>(serde, 7, { maxRecords: 2, maxBytes: 100_000 }, wrap);
    const recs: Rec[] = ['s1', 's2', 's3', 's4', 's5'].map((key) => ({ key, body: key }));
    // s1, s3, s5 share one group (a partition), s2 and s4 another.
    const packed = await packer.pack(recs, (r) => (['s1', 's3', 's5'].includes(r.key) ? 'p0' : 'p1'), (first) => first.key);
    assert.deepEqual(
      packed.messages.map((m) => [m.key, decode(m.value).map((r) => r.key)]),
      [
        ['s1', ['s1', 's3']],
        ['s5', ['s5']],
        ['s2', ['s2', 's4']],
      ],
    );
  });

  it('refuses nonsensical limits', () => {
    const { serde } = fakeSerde();
    assert.throws(() => new EnvelopePacker<Rec>(serde, 1, { maxRecords: 0, maxBytes: 1000 }, wrap), /maxRecords/);
    assert.throws(() => new EnvelopePacker<Rec>(serde, 1, { maxRecords: 1, maxBytes: 10 }, wrap), /maxBytes/);
  });
});
