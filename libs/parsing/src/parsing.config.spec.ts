import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PARSE_OPTIONS, resolveParseOptions } from './parsing.config';

describe('resolveParseOptions', () => {
  it('defaults to 64 KiB bodies and 128 promoted attributes', () => {
    assert.deepEqual(resolveParseOptions(), { maxBodyBytes: 65_536, maxPromotedAttributes: 128 });
    assert.deepEqual(resolveParseOptions({ maxBodyBytes: undefined }), DEFAULT_PARSE_OPTIONS);
  });

  it('overlays overrides', () => {
    assert.deepEqual(resolveParseOptions({ maxPromotedAttributes: 0 }), { maxBodyBytes: 65_536, maxPromotedAttributes: 0 });
  });

  it('names every invalid field', () => {
    assert.throws(
      () => resolveParseOptions({ maxBodyBytes: 0, maxPromotedAttributes: 1.5 }),
      /^Error: invalid parse options: maxBodyBytes must be an integer ≥ 1, got 0; maxPromotedAttributes must be an integer ≥ 0, got 1.5$/,
    );
  });
});
