import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { HttpProblem, decodeContentEncoding, otlpEncodingOf } from './otlp-request-body';

describe('OTLP request body', () => {
  it('knows the OTLP media types, with or without parameters', () => {
    assert.equal(otlpEncodingOf('application/x-protobuf'), 'protobuf');
    assert.equal(otlpEncodingOf('application/json; charset=utf-8'), 'json');
    assert.equal(otlpEncodingOf('text/plain'), null);
    assert.equal(otlpEncodingOf(undefined), null);
  });

  it('gunzips within the limit', () => {
    const body = Buffer.from('{"resourceLogs":[]}');
    assert.deepEqual(decodeContentEncoding(gzipSync(body), 'gzip', 1000), body);
    assert.deepEqual(decodeContentEncoding(body, undefined, 1000), body);
  });

  it('answers 413 when decompression would exceed the limit', () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    assert.throws(() => decodeContentEncoding(bomb, 'gzip', 10_000), (e: unknown) => e instanceof HttpProblem && e.status === 413);
  });

  it('answers 400 for a corrupt gzip body and 415 for an unknown encoding', () => {
    assert.throws(() => decodeContentEncoding(Buffer.from('not gzip'), 'gzip', 1000), (e: unknown) => e instanceof HttpProblem && e.status === 400);
    assert.throws(() => decodeContentEncoding(Buffer.from('x'), 'br', 1000), (e: unknown) => e instanceof HttpProblem && e.status === 415);
  });
});
