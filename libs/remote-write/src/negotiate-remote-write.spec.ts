import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateRemoteWrite, REMOTE_WRITE_CONTENT_TYPES } from './negotiate-remote-write';
import { RemoteWriteUnsupportedError } from './remote-write.error';
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2 } from './remote-write.model';

const BOTH = [REMOTE_WRITE_V1, REMOTE_WRITE_V2];

describe('negotiateRemoteWrite', () => {
  const accepted: [string | undefined, string | undefined, string][] = [
    ['application/x-protobuf', 'snappy', REMOTE_WRITE_V1],
    [undefined, 'snappy', REMOTE_WRITE_V1],
    ['', undefined, REMOTE_WRITE_V1],
    ['application/x-protobuf;proto=prometheus.WriteRequest', 'snappy', REMOTE_WRITE_V1],
    ['application/x-protobuf;proto=io.prometheus.write.v2.Request', 'snappy', REMOTE_WRITE_V2],
    ['application/x-protobuf; proto=io.prometheus.write.v2.Request', 'snappy', REMOTE_WRITE_V2],
    ['Application/X-Protobuf;Proto="io.prometheus.write.v2.Request";', 'Snappy', REMOTE_WRITE_V2],
    ['application/x-protobuf;charset=utf-8', '', REMOTE_WRITE_V1],
  ];
  for (const [contentType, encoding, message] of accepted) {
    it(`reads ${JSON.stringify(contentType)} with encoding ${JSON.stringify(encoding)} as ${message}`, () => {
      assert.equal(negotiateRemoteWrite(contentType, encoding, BOTH), message);
    });
  }

  it('publishes the canonical content types', () => {
    assert.equal(REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V1], 'application/x-protobuf');
    assert.equal(REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V2], 'application/x-protobuf;proto=io.prometheus.write.v2.Request');
  });

  const refused: [string | undefined, string | undefined, readonly string[], string][] = [
    ['application/json', 'snappy', BOTH, 'expected application/x-protobuf as the media type, got content-type application/json'],
    ['application/x-protobuf;proto=io.prometheus.write.v3.Request', 'snappy', BOTH, 'unknown remote write protobuf message io.prometheus.write.v3.Request in content-type application/x-protobuf;proto=io.prometheus.write.v3.Request; supported: prometheus.WriteRequest, io.prometheus.write.v2.Request'],
    ['application/x-protobuf;proto', 'snappy', BOTH, 'content-type parameters must be key=value, got "proto" in application/x-protobuf;proto'],
    ['application/x-protobuf', 'gzip', BOTH, 'gzip encoding (compression) is not accepted by this server; only snappy is acceptable'],
    ['application/x-protobuf;proto=io.prometheus.write.v2.Request', 'snappy', [REMOTE_WRITE_V1], 'io.prometheus.write.v2.Request protobuf message is not accepted by this server; only accepts prometheus.WriteRequest'],
    [undefined, 'snappy', [REMOTE_WRITE_V2], 'prometheus.WriteRequest protobuf message is not accepted by this server; only accepts io.prometheus.write.v2.Request'],
  ];
  for (const [contentType, encoding, acceptedMessages, message] of refused) {
    it(`refuses ${JSON.stringify(contentType)} / ${JSON.stringify(encoding)} with 415`, () => {
      assert.throws(
        () => negotiateRemoteWrite(contentType, encoding, acceptedMessages as never),
        (err: unknown) => err instanceof RemoteWriteUnsupportedError && err.statusCode === 415 && err.message === message,
      );
    });
  }
});
