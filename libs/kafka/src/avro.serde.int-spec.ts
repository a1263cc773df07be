import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BIGINT_LONG_TYPE } from '@sextant/contracts';
import { AvroSerde } from './avro.serde';
import { BatchConsumer } from './batch.consumer';
import { RegistryUnavailableError, SchemaIncompatibleError, UndecodableRecordError } from './kafka.errors';
import { consumerConfig, createTopic, plain, REGISTRY_URL, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

const SAMPLE = {
  type: 'record',
  name: 'Sample',
  namespace: 'io.sextant.test',
  fields: [
    { name: 'big', type: 'long' },
    { name: 'small', type: 'int' },
    { name: 'text', type: 'string' },
    { name: 'tags', type: { type: 'map', values: 'string' } },
    { name: 'maybe', type: ['null', 'long'], default: null },
    { name: 'raw', type: 'bytes' },
  ],
};

const V1 = {
  type: 'record',
  name: 'Evo',
  namespace: 'io.sextant.test',
  fields: [
    { name: 'a', type: 'string' },
    { name: 'n', type: 'long' },
  ],
};
const V2 = { ...V1, fields: [...V1.fields, { name: 'b', type: 'string', default: 'dflt' }] };
const V3 = { ...V1, fields: [...V1.fields, { name: 'c', type: 'string' }] };

describe('AvroSerde (real registry and Kafka)', () => {
  let stack: Stack;
  const consumers: BatchConsumer<unknown>[] = [];

  before(async () => {
    stack = await startStack('test');
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await stack.close();
  });

  async function consumeAll<T>(serde: AvroSerde, topic: string, count: number, readerSchema?: object): Promise<T[]> {
    const got: T[] = [];
    const c = new BatchConsumer<T>(stack.conn, consumerConfig(uniqueName('g')), [topic], 'avro', async (b) => void got.push(...b.records.map((r) => r.value)), {
      ...stack.deps,
      serde,
      deadLetters: stack.deadLetters,
      stage: 'test',
      ...(readerSchema ? { readerSchema } : {}),
    });
    consumers.push(c as BatchConsumer<unknown>);
    await c.start();
    await waitFor(`${count} records`, () => got.length >= count);
    await c.stop();
    return got.map(plain) as T[];
  }

  it('round-trips a record through the registry and Kafka, longs above 2^53 as bigint', async () => {
    const topic = uniqueName('roundtrip');
    await createTopic(stack.conn, topic);
    const id = await stack.serde.register(`${topic}-value`, SAMPLE);
    const value = { big: 2n ** 60n + 3n, small: 7, text: 'héllo', tags: { a: 'b' }, maybe: -(2n ** 62n), raw: Buffer.from([1, 2, 3]) };
    const wire = await stack.serde.encode(id, value);
    assert.equal(wire[0], 0);
    assert.equal(wire.readUInt32BE(1), id);
    await stack.producer.send(topic, [{ key: 'k', value: wire }]);
    const [got] = await consumeAll<typeof value>(stack.serde, topic, 1);
    assert.deepEqual(got, value);
    const decoded = await stack.serde.decode(wire);
    assert.deepEqual({ ...decoded, value: plain(decoded.value) }, { value, schemaId: id, writerName: 'io.sextant.test.Sample' });
  });

  it('evolves a subject under BACKWARD: old readers read new records, new readers fill defaults, breaking changes are refused', async () => {
    // Long type passed through a registry option: two versions of one record name must still coexist.
    const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, { registry: { long: BIGINT_LONG_TYPE } }, stack.deps);
    const topic = uniqueName('evolution');
    await createTopic(stack.conn, topic);
    const subject = `${topic}-value`;
    const id1 = await serde.register(subject, V1, 'BACKWARD');
    const id2 = await serde.register(subject, V2, 'BACKWARD');
    assert.notEqual(id1, id2);
    assert.equal(await serde.register(subject, V2, 'BACKWARD'), id2, 'registering again is idempotent');
    await assert.rejects(serde.register(subject, V3, 'BACKWARD'), SchemaIncompatibleError);
    const config = (await (await fetch(`${REGISTRY_URL}/config/${subject}`)).json()) as { compatibilityLevel: string };
    assert.equal(config.compatibilityLevel, 'BACKWARD');

    const n = 2n ** 55n + 1n;
    await stack.producer.send(topic, [
      { key: null, value: await serde.encode(id1, { a: 'one', n }) },
      { key: null, value: await serde.encode(id2, { a: 'two', n, b: 'bee' }) },
    ]);
    assert.deepEqual(await consumeAll(serde, topic, 2, V1), [
      { a: 'one', n },
      { a: 'two', n },
    ]);
    assert.deepEqual(await consumeAll(serde, topic, 2, V2), [
      { a: 'one', n, b: 'dflt' },
      { a: 'two', n, b: 'bee' },
    ]);

    // The level is set before registering: under NONE the same change is accepted.
    assert.ok((await serde.register(subject, V3, 'NONE')) > 0);
  });

  it('tells undecodable bytes from an unreachable registry', async () => {
    const id = await stack.serde.register(`${uniqueName('errors')}-value`, V1);
    const wire = await stack.serde.encode(id, { a: 'x', n: 1n });
    await assert.rejects(stack.serde.decode(Buffer.from([0, 0])), UndecodableRecordError);
    await assert.rejects(stack.serde.decode(Buffer.from('{"json":true}')), /magic byte/);
    const unknown = Buffer.from(wire);
    unknown.writeUInt32BE(0x7ffffff1, 1);
    // Without a grace period (see the fast-path spec for one), an id the registry does not know condemns the record.
    const graceless = new AvroSerde({ url: REGISTRY_URL, username: '', password: '', unknownIdGraceMs: 0 }, {}, stack.deps);
    await assert.rejects(graceless.decode(unknown), /not in the registry/);
    await assert.rejects(stack.serde.decode(wire.subarray(0, wire.length - 1)), UndecodableRecordError);
    await assert.rejects(stack.serde.decode(Buffer.concat([wire, Buffer.from([1])])), UndecodableRecordError);
    await stack.serde.ping();

    const offline = new AvroSerde({ url: 'http://127.0.0.1:1/apis/ccompat/v7', username: '', password: '' }, {}, stack.deps);
    await assert.rejects(offline.decode(wire), RegistryUnavailableError);
    await assert.rejects(offline.ping(), RegistryUnavailableError);
  });
});
