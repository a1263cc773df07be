import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaMessage } from 'kafkajs';
import { RegistryUnavailableError } from './kafka.errors';
import { RecordDecoder } from './record.decoder';
import { FakeSerde } from './testing/fake-serde';

const ITEM = { type: 'record', name: 'Item', namespace: 'io.sextant.test', fields: [{ name: 'n', type: 'int' }] };
// The reader of today: a field added with a default (BACKWARD), so old writers resolve into it.
const ITEM_V2 = { ...ITEM, fields: [...ITEM.fields, { name: 'label', type: 'string', default: 'none' }] };
const BATCH = { type: 'record', name: 'ItemBatch', namespace: 'io.sextant.test', fields: [{ name: 'records', type: { type: 'array', items: ITEM } }] };
const BATCH_V2 = { ...BATCH, fields: [{ name: 'records', type: { type: 'array', items: ITEM_V2 } }] };

const serde = new FakeSerde().register(1, ITEM).register(2, BATCH).register(3, ITEM_V2);
const message = (value: Buffer | null, offset = '7'): KafkaMessage => ({ offset, key: Buffer.from('k'), value, timestamp: '1700000000000', headers: { h: 'x' }, attributes: 0 });
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('RecordDecoder', () => {
  const decoder = new RecordDecoder<{ n: number; label: string }>({ mode: 'avro', serde: serde.asSerde(), readerSchema: ITEM_V2, envelopeSchema: BATCH_V2, recordSchemaId: 3 });

  it('flattens an envelope into one record per element, with its index, each resolved into the reader schema', async () => {
    const out = await decoder.decode('t', 0, message(await serde.encode(2, { records: [{ n: 1 }, { n: 2 }, { n: 3 }] })));
    assert.ok(out.ok);
    assert.deepEqual(
      out.records.map((r) => [r.offset, r.index, plain(r.value), r.key?.toString(), r.headers.h?.toString()]),
      [
        ['7', 0, { n: 1, label: 'none' }, 'k', 'x'],
        ['7', 1, { n: 2, label: 'none' }, 'k', 'x'],
        ['7', 2, { n: 3, label: 'none' }, 'k', 'x'],
      ],
    );
  });

  it('reads a single record (third-party producer) on the same topic with index -1', async () => {
    const out = await decoder.decode('t', 0, message(await serde.encode(1, { n: 9 })));
    assert.ok(out.ok);
    assert.deepEqual(out.records.map((r) => [r.index, plain(r.value)]), [[-1, { n: 9, label: 'none' }]]);
  });

  it('fails a message that cannot decode as a whole, envelope or not', async () => {
    const broken = Buffer.concat([(await serde.encode(2, { records: [{ n: 1 }] })).subarray(0, 5), Buffer.from([0x09])]);
    const out = await decoder.decode('t', 0, message(broken));
    assert.equal(out.ok, false);
    assert.equal((await decoder.decode('t', 0, message(null))).ok, false);
  });

  it('re-encodes a record out of an envelope alone for its dead letter, with the single-record schema', async () => {
    const envelope = await serde.encode(2, { records: [{ n: 1 }, { n: 2 }] });
    const out = await decoder.decode('t', 0, message(envelope));
    assert.ok(out.ok);
    const value = await decoder.deadLetterValue(out.records[1], envelope);
    assert.ok(value);
    assert.equal(value.readUInt32BE(1), 3);
    assert.deepEqual(plain((await serde.decode(value)).value), { n: 2, label: 'none' });
    // Without the id, the envelope's bytes; a single record keeps its own bytes.
    const noId = new RecordDecoder({ mode: 'avro', serde: serde.asSerde(), envelopeSchema: BATCH_V2 });
    assert.equal(await noId.deadLetterValue(out.records[1], envelope), envelope);
  });

  it('retries (throws) when the registry is down instead of condemning the message', async () => {
    const down = { ...serde, writerType: async () => Promise.reject(new RegistryUnavailableError('down')), decode: async () => Promise.reject(new RegistryUnavailableError('down')) };
    const d = new RecordDecoder({ mode: 'avro', serde: down as never, envelopeSchema: BATCH });
    await assert.rejects(d.decode('t', 0, message(await serde.encode(2, { records: [] }))), RegistryUnavailableError);
  });

  it('refuses an envelope schema without a records array', () => {
    assert.throws(() => new RecordDecoder({ mode: 'avro', serde: serde.asSerde(), envelopeSchema: ITEM }), /records/);
  });
});
