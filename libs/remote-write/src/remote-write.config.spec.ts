import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REMOTE_WRITE_DECODE_CONFIG, resolveRemoteWriteDecodeConfig } from './remote-write.config';

describe('resolveRemoteWriteDecodeConfig', () => {
  it('defaults to Prometheus (32 MiB, both messages, UTF-8 names, invalid 1.0 series dropped, 10 min ahead) and keeps exemplar-only series', () => {
    assert.deepEqual(resolveRemoteWriteDecodeConfig(), {
      maxDecompressedBytes: 33554432,
      acceptedMessages: ['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'],
      nameValidation: 'utf8',
      v1InvalidSeries: 'drop',
      maxAheadMs: 600000,
      exemplarOnlySeries: 'accept',
    });
    assert.deepEqual(resolveRemoteWriteDecodeConfig({ maxDecompressedBytes: undefined }), DEFAULT_REMOTE_WRITE_DECODE_CONFIG);
  });

  it('overlays valid overrides and freezes the result', () => {
    const config = resolveRemoteWriteDecodeConfig({ maxDecompressedBytes: 1024, acceptedMessages: ['io.prometheus.write.v2.Request'], nameValidation: 'legacy', v1InvalidSeries: 'reject' });
    assert.equal(config.maxDecompressedBytes, 1024);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.acceptedMessages));
  });

  it('names every invalid field at once', () => {
    assert.throws(
      () => resolveRemoteWriteDecodeConfig({ maxDecompressedBytes: 0, acceptedMessages: [], nameValidation: 'ascii' as never, v1InvalidSeries: 'keep' as never, maxAheadMs: -1, exemplarOnlySeries: 'drop' as never }),
      {
        message:
          'invalid remote-write decode config: maxDecompressedBytes must be an integer from 1 to 4294967295, got 0; ' +
          'acceptedMessages must be a non-empty list without duplicates of prometheus.WriteRequest, io.prometheus.write.v2.Request, got []; ' +
          'nameValidation must be "utf8" or "legacy", got "ascii"; v1InvalidSeries must be "drop" or "reject", got "keep"; ' +
          'maxAheadMs must be an integer ≥ 0 or Infinity, got -1; exemplarOnlySeries must be "accept" or "reject", got "drop"',
      },
    );
    assert.throws(() => resolveRemoteWriteDecodeConfig({ maxDecompressedBytes: 1.5 }), /maxDecompressedBytes/);
    assert.equal(resolveRemoteWriteDecodeConfig({ maxAheadMs: Infinity }).maxAheadMs, Infinity);
    assert.throws(() => resolveRemoteWriteDecodeConfig({ acceptedMessages: ['prometheus.WriteRequest', 'prometheus.WriteRequest'] }), /acceptedMessages/);
  });
});
