import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headersAsText } from './dead-letter.publisher';
import { normalizeHeaders } from './record.decoder';

describe('dead-letter headers', () => {
  it('keeps UTF-8 text as text and marks binary values as base64', () => {
    const out = headersAsText({ text: Buffer.from('héllo'), bin: Buffer.from([0xff, 0x00, 0xfe]), str: 'plain', gone: undefined });
    assert.deepEqual(out, { text: 'héllo', bin: 'b64:/wD+', str: 'plain' });
  });

  it('normalizes Kafka headers (strings, repeated values) to Buffers', () => {
    const out = normalizeHeaders({ a: 'x', b: [Buffer.from('1'), 'last'], c: undefined });
    assert.deepEqual(out, { a: Buffer.from('x'), b: Buffer.from('last'), c: undefined });
  });
});
