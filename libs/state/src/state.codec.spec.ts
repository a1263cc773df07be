import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as avsc from 'avsc';
import { avroStateCodec, jsonStateCodec } from './state.codec';

describe('state codecs', () => {
  it('round-trips JSON and Avro values', () => {
    const json = jsonStateCodec<{ n: number }>();
    assert.deepEqual(json.decode(json.encode({ n: 3 })), { n: 3 });
    const avro = avroStateCodec<{ n: number }>(avsc.Type.forSchema({ type: 'record', name: 'Count', fields: [{ name: 'n', type: 'long' }] }));
    assert.equal(avro.encode({ n: 3 }).length, 1);
    assert.equal(avro.decode(avro.encode({ n: 3 })).n, 3);
  });
});
