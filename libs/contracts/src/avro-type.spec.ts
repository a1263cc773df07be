import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as avsc from 'avsc';
import { avroType, avroTypeOptions } from './avro-type';
import { LOG_RECORD_SCHEMA } from './generated';

const HOLDER = {
  type: 'record',
  name: 'LongHolder',
  namespace: 'io.sextant.test',
  fields: [
    { name: 'plain', type: 'long' },
    { name: 'objectForm', type: { type: 'long' } },
    { name: 'nullable', type: ['null', 'long'], default: null },
    { name: 'list', type: { type: 'array', items: 'long' } },
    { name: 'defaulted', type: 'long', default: 7 },
  ],
};

describe('avroType', () => {
  const type = avroType(HOLDER);

  it('round-trips longs beyond 2^53 exactly, at both ends of the int64 range', () => {
    const values = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 3n, 0n, 1_735_689_600_123_456_789n];
    for (const v of values) {
      const decoded = type.fromBuffer(type.toBuffer({ plain: v, objectForm: -v - 1n, nullable: v, list: [v, 1n], defaulted: v })) as Record<string, unknown>;
      assert.equal(decoded.plain, v);
      assert.equal(decoded.objectForm, -v - 1n);
      assert.equal(decoded.nullable, v);
      assert.deepEqual(decoded.list, [v, 1n]);
    }
  });

  it('writes the standard Avro zig-zag encoding (interoperable with other Avro libraries)', () => {
    const stock = avsc.Type.forSchema('long');
    assert.deepEqual(avroType({ type: 'record', name: 'One', namespace: 'io.sextant.test', fields: [{ name: 'v', type: 'long' }] }).toBuffer({ v: 123456789n }), stock.toBuffer(123456789));
    assert.equal(type.fromBuffer(type.toBuffer({ plain: -1n, objectForm: 0n, nullable: null, list: [], defaulted: 0n })).nullable, null);
  });

  it('rejects numbers and out-of-range bigints for longs', () => {
    assert.equal(type.isValid({ plain: 5, objectForm: 0n, nullable: null, list: [], defaulted: 0n }), false);
    assert.equal(type.isValid({ plain: 2n ** 63n, objectForm: 0n, nullable: null, list: [], defaulted: 0n }), false);
    assert.throws(() => type.toBuffer({ plain: 5, objectForm: 0n, nullable: null, list: [], defaulted: 0n }));
  });

  it('fills long defaults as bigint when a newer reader resolves older data', () => {
    const writer = avroType({ type: 'record', name: 'LongHolder', namespace: 'io.sextant.test', fields: [{ name: 'plain', type: 'long' }] });
    const reader = avroType({ ...HOLDER, fields: [HOLDER.fields[0], HOLDER.fields[4]] });
    const decoded = reader.fromBuffer(writer.toBuffer({ plain: 2n ** 60n }), reader.createResolver(writer)) as Record<string, unknown>;
    assert.equal(decoded.plain, 2n ** 60n);
    assert.equal(decoded.defaulted, 7n);
  });

  it('clones exactly (avsc clones through JSON)', () => {
    const value = { plain: 2n ** 62n + 5n, objectForm: 1n, nullable: null, list: [], defaulted: 0n };
    assert.equal((type.clone(value) as Record<string, unknown>).plain, 2n ** 62n + 5n);
  });

  it('caches by schema: same schema gives the same type, another version of the name its own', () => {
    assert.equal(avroType(LOG_RECORD_SCHEMA), avroType(LOG_RECORD_SCHEMA));
    assert.equal(avroType(JSON.stringify(LOG_RECORD_SCHEMA)), avroType(LOG_RECORD_SCHEMA));
    const evolved = { ...LOG_RECORD_SCHEMA, fields: [...LOG_RECORD_SCHEMA.fields, { name: 'extra', type: 'string', default: '', doc: 'x' }] };
    assert.notEqual(avroType(evolved), avroType(LOG_RECORD_SCHEMA));
    assert.equal(avroType(evolved).name, 'io.sextant.logs.LogRecord');
  });
});

describe('avroTypeOptions', () => {
  it('gives bigint longs to plain avsc.Type.forSchema callers', () => {
    const type = avsc.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type: 'long' }] }, avroTypeOptions());
    assert.equal((type.fromBuffer(type.toBuffer({ v: 2n ** 62n })) as Record<string, unknown>).v, 2n ** 62n);
  });

  it('survives reuse across two versions of one record, as the schema-registry client reuses it', () => {
    // The client spreads the options it was given into every forSchema call; a shared registry inside them
    // would make the second version fail with "duplicate type name".
    const shared = avroTypeOptions();
    const v1 = { type: 'record', name: 'Same', namespace: 'io.sextant.test', fields: [{ name: 'a', type: 'long' }] } as avsc.Schema;
    const v2 = { type: 'record', name: 'Same', namespace: 'io.sextant.test', fields: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string', default: '' }] } as avsc.Schema;
    const t1 = avsc.Type.forSchema(v1, { ...shared });
    const t2 = avsc.Type.forSchema(v2, { ...shared });
    const decoded = t2.fromBuffer(t1.toBuffer({ a: 2n ** 55n }), t2.createResolver(t1)) as Record<string, unknown>;
    assert.equal(decoded.a, 2n ** 55n);
    assert.equal(decoded.b, '');
  });
});
