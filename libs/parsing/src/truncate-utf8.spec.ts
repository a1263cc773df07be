import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { truncateUtf8 } from './truncate-utf8';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('truncateUtf8', () => {
  it('returns text that fits unchanged', () => {
    assert.equal(truncateUtf8('héllo', 6), 'héllo');
    assert.equal(truncateUtf8('', 1), '');
  });

  it('cuts before a character that would not fit whole, for 2-, 3- and 4-byte characters', () => {
    // 'é' = 2 bytes, '€' = 3 bytes, '😀' = 4 bytes (a surrogate pair in UTF-16)
    const text = 'aé€😀b';
    const expected: [number, string][] = [
      [0, ''], [1, 'a'], [2, 'a'], [3, 'aé'], [4, 'aé'], [5, 'aé'], [6, 'aé€'],
      [7, 'aé€'], [8, 'aé€'], [9, 'aé€'], [10, 'aé€😀'], [11, 'aé€😀b'],
    ];
    for (const [max, want] of expected) {
      const got = truncateUtf8(text, max);
      assert.equal(got, want, `max ${max}`);
      assert.ok(bytes(got) <= max);
      assert.ok(!got.includes('\uFFFD'));
    }
  });

  it('keeps the longest valid prefix of long text', () => {
    const text = '€'.repeat(30_000); // 90 000 bytes
    const cut = truncateUtf8(text, 65_536);
    assert.equal(cut, '€'.repeat(21_845));
    assert.equal(bytes(cut), 65_535);
  });
});
