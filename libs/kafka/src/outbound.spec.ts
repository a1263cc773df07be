import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messageBytes } from './outbound';

describe('messageBytes', () => {
  it('counts key, value and headers, and a tombstone as no value', () => {
    const full = messageBytes({ key: 'k1', value: Buffer.alloc(100), headers: { h: 'v', b: Buffer.alloc(3) } });
    const tombstone = messageBytes({ key: 'k1', value: null });
    assert.equal(full - tombstone, 100 + 1 + 1 + 1 + 3);
    assert.ok(tombstone > 2);
  });
});
