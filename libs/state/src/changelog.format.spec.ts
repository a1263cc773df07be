import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changelogKey, checkpointRecord, parseChangelogRecord } from './changelog.format';
import { keyPartition } from './key-partition';

describe('changelog records', () => {
  it('choose keys that hash onto the input partition, the same key every time', () => {
    for (let p = 0; p < 6; p++) {
      for (const key of ['a', 'svc|checkout', 'ünïcode', '']) {
        const wire = changelogKey(p, key, 6);
        assert.equal(keyPartition(wire, 6), p);
        assert.equal(changelogKey(p, key, 6), wire);
        assert.deepEqual(parseChangelogRecord(Buffer.from(wire), Buffer.from('v')), { kind: 'value', partition: p, key, value: Buffer.from('v') });
      }
    }
  });

  it('refuse a changelog with fewer partitions than the input', () => {
    assert.throws(() => changelogKey(4, 'a', 4), /has 4 partitions, fewer than input partition 4 needs/);
  });

  it('round-trip the checkpoint', () => {
    const m = checkpointRecord(2, '1234', 3);
    assert.deepEqual(parseChangelogRecord(Buffer.from(String(m.key)), m.value), { kind: 'checkpoint', partition: 2, nextOffset: '1234' });
  });

  it('skip records this format did not write', () => {
    assert.equal(parseChangelogRecord(null, Buffer.from('x')), null);
    assert.equal(parseChangelogRecord(Buffer.from('no-partition'), Buffer.from('x')), null);
    assert.equal(parseChangelogRecord(Buffer.from('2|x|key'), Buffer.from('x')), null);
    assert.equal(parseChangelogRecord(Buffer.from('2|0|\u0000checkpoint'), Buffer.from('not-an-offset')), null);
  });

  it('keep state keys that contain the separator, and read a null value as a tombstone', () => {
    assert.deepEqual(parseChangelogRecord(Buffer.from('7|12|svc|a'), null), { kind: 'tombstone', partition: 7, key: 'svc|a' });
  });
});
