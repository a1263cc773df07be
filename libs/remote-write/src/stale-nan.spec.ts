import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float64Bits, isStaleNaN, STALE_NAN, STALE_NAN_BITS } from './stale-nan';

function fromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

describe('stale marker', () => {
  it('is the NaN with bits 0x7ff0000000000002', () => {
    assert.equal(STALE_NAN_BITS, 0x7ff0000000000002n);
    assert.equal(float64Bits(STALE_NAN), STALE_NAN_BITS);
    assert.ok(Number.isNaN(STALE_NAN));
  });

  it('is told apart from every other NaN and from numbers', () => {
    assert.equal(isStaleNaN(STALE_NAN), true);
    assert.equal(isStaleNaN(fromBits(0x7ff0000000000002n)), true);
    for (const other of [NaN, fromBits(0x7ff8000000000000n), fromBits(0x7ff8000000000002n), fromBits(0xfff0000000000002n), fromBits(0x7ff0000000000001n), 0, -0, Infinity, 2]) {
      assert.equal(isStaleNaN(other), false, `bits ${float64Bits(other).toString(16)}`);
    }
  });

  it('survives object properties and Float64Arrays (V8 quiets it in arrays of unboxed doubles)', () => {
    const held = { value: STALE_NAN };
    assert.equal(isStaleNaN(held.value), true);
    const column = new Float64Array(2);
    column[1] = STALE_NAN;
    assert.equal(isStaleNaN(column[1] as number), true);
    const doubles = [1.5, 2.5];
    doubles.push(STALE_NAN);
    assert.equal(Number.isNaN(doubles[2]), true); // still NaN, but its bits may have been quieted: test before
  });
});
