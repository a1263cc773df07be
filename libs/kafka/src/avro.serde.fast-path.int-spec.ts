import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { avroTypeOptions } from '@sextant/contracts';
import { AvroSerde } from './avro.serde';
import { RegistryUnavailableError, UndecodableRecordError } from './kafka.errors';
import { plain, REGISTRY_URL, testDeps, uniqueName } from './testing/int-env';

const ENVELOPE = {
  type: 'record',
  name: 'Envelope',
  namespace: 'io.sextant.test',
  fields: [
    { name: 'items', type: { type: 'array', items: 'string' } },
    { name: 'n', type: 'long' },
  ],
};

describe('AvroSerde fast path and unknown ids (real registry)', () => {
  const deps = testDeps();
  const serde = (unknownIdGraceMs?: number): AvroSerde =>
    new AvroSerde({ url: REGISTRY_URL, username: '', password: '', ...(unknownIdGraceMs === undefined ? {} : { unknownIdGraceMs }) }, avroTypeOptions(), deps);
  let writer: AvroSerde;
  let id: number;

  before(async () => {
    writer = serde();
    id = await writer.register(`${uniqueName('envelope')}-value`, ENVELOPE);
  });

  it('encodes and decodes without a promise once the id is cached, the same bytes as the async path', async () => {
    const value = { items: ['a', 'béta'], n: 2n ** 60n };
    const sync = writer.encodeSync(id, value);
    assert.ok(sync, 'a schema this serde registered is cached at register time');
    assert.deepEqual(sync, await writer.encode(id, value));
    const decoded = writer.decodeSync(sync);
    assert.ok(decoded);
    assert.deepEqual(plain(decoded.value), value);
    assert.equal(decoded.writerName, 'io.sextant.test.Envelope');
    assert.equal(writer.writerName(id), 'io.sextant.test.Envelope');

    // A serde that has not seen the id yet needs one awaited lookup, then the sync path works too.
    const reader = serde();
    assert.equal(reader.decodeSync(sync), null);
    assert.equal(reader.encodeSync(id, value), null);
    assert.equal((await reader.decode(sync)).writerName, 'io.sextant.test.Envelope');
    assert.deepEqual(plain(reader.decodeSync(sync)?.value), value);
    assert.deepEqual(reader.encodeSync(id, value), sync);
  });

  it('encodes records larger than its scratch buffer', () => {
    const items = Array.from({ length: 300 }, (_, i) => `${i}`.padEnd(1000, 'x'));
    const wire = writer.encodeSync(id, { items, n: 1n });
    assert.ok(wire && wire.length > 300_000);
    assert.equal(wire.readUInt32BE(1), id);
    assert.deepEqual(plain(writer.decodeSync(wire)?.value), { items, n: 1n });
  });

  it('retries an id the registry does not know during the grace period, and condemns it after', async () => {
    const wire = writer.encodeSync(id, { items: [], n: 0n });
    assert.ok(wire);
    const unknown = Buffer.from(wire);
    unknown.writeUInt32BE(0x7ffffff0 - Math.floor(Math.random() * 1000), 1);
    const graceful = serde(400);
    await assert.rejects(graceful.decode(unknown), RegistryUnavailableError);
    await assert.rejects(graceful.decode(unknown), RegistryUnavailableError);
    await new Promise((r) => setTimeout(r, 450));
    await assert.rejects(graceful.decode(unknown), UndecodableRecordError);
    await assert.rejects(serde(0).decode(unknown), UndecodableRecordError);
  });
});
