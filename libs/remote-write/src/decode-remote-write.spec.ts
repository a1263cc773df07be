import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs';
import { createRemoteWriteDecoder } from './decode-remote-write';
import { encodeRemoteWriteBody, encodeRemoteWriteProtobuf } from './encode-remote-write';
import { REMOTE_WRITE_CONTENT_TYPES } from './negotiate-remote-write';
import { RemoteWriteDecodeError, RemoteWriteError, RemoteWriteTooLargeError, RemoteWriteUnsupportedError } from './remote-write.error';
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2, type RemoteWriteMessage } from './remote-write.model';
import { remoteWriteErrorResponse, remoteWriteResponse } from './remote-write-response';
import { nativeSnappyBlockCodec } from './snappy-block';
import { SymbolTable, v1Labels } from './testdata/remote-write-requests';

const decoder = createRemoteWriteDecoder();
const post = (message: RemoteWriteMessage, body: Uint8Array, d = decoder) =>
  d.decode({ contentType: REMOTE_WRITE_CONTENT_TYPES[message], contentEncoding: 'snappy', body });
const raw = (bytes: Uint8Array) => nativeSnappyBlockCodec.compress(bytes);

function failure(fn: () => unknown): RemoteWriteError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RemoteWriteError) return err;
    throw err;
  }
  assert.fail('expected a RemoteWriteError');
}

describe('decoding a remote-write HTTP request', () => {
  it('decodes a busy 1.0 request of 2000 series', () => {
    const timeseries = Array.from({ length: 2000 }, (_, i) => ({
      labels: v1Labels([['__name__', 'node_cpu_seconds_total'], ['cpu', String(i % 16)], ['instance', `host-${i}:9100`], ['job', 'node'], ['mode', 'idle']]),
      samples: [{ value: i * 0.5, timestamp: 1_733_100_000_000 + i }],
    }));
    const request = post(REMOTE_WRITE_V1, encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries }));
    assert.equal(request.series.length, 2000);
    assert.deepEqual(request.counts, { samples: 2000, histograms: 0, exemplars: 0 });
    assert.equal(request.series[1999]?.labels[2]?.value, 'host-1999:9100');
    assert.deepEqual(remoteWriteResponse(request), { statusCode: 204, body: '', headers: {} });
  });

  it('answers 400 with a precise message for truncated or malformed protobuf', () => {
    const body = encodeRemoteWriteProtobuf(REMOTE_WRITE_V1, { timeseries: [{ labels: v1Labels([['__name__', 'up']]), samples: [{ value: 1, timestamp: 1 }] }] });
    const truncated = failure(() => post(REMOTE_WRITE_V1, raw(body.subarray(0, body.length - 3))));
    assert.ok(truncated instanceof RemoteWriteDecodeError);
    assert.match(truncated.message, /^invalid prometheus\.WriteRequest protobuf: (truncated message|index out of range)/);
    assert.deepEqual(remoteWriteErrorResponse(truncated), { statusCode: 400, body: truncated.message, headers: {} });

    const wrongType = Writer.create().uint32((1 << 3) | 0).uint32(5).finish();
    assert.equal(failure(() => post(REMOTE_WRITE_V1, raw(wrongType))).message, 'invalid prometheus.WriteRequest protobuf: wrong wire type 0 for field WriteRequest.timeseries at offset 1');
    const badWireType = Uint8Array.from([(9 << 3) | 7]);
    assert.equal(failure(() => post(REMOTE_WRITE_V2, raw(badWireType))).message, 'invalid io.prometheus.write.v2.Request protobuf: invalid wire type 7 at offset 1');
    const overrun = Writer.create().uint32((5 << 3) | 2).fork().uint32((2 << 3) | 2).uint32(50).ldelim().finish();
    const v2Error = failure(() => post(REMOTE_WRITE_V2, raw(overrun)));
    assert.match(v2Error.message, /^invalid io\.prometheus\.write\.v2\.Request protobuf: truncated message/);
    assert.deepEqual(remoteWriteErrorResponse(v2Error).headers, {
      'X-Prometheus-Remote-Write-Samples-Written': '0',
      'X-Prometheus-Remote-Write-Histograms-Written': '0',
      'X-Prometheus-Remote-Write-Exemplars-Written': '0',
    });
  });

  it('answers 400 for a body that is not snappy', () => {
    const err = failure(() => post(REMOTE_WRITE_V1, Uint8Array.from([10, 3, 1, 2, 3])));
    assert.equal(err.statusCode, 400);
    assert.match(err.message, /^invalid snappy block: /);
    assert.deepEqual(remoteWriteErrorResponse(err).headers, {});
  });

  it('answers 413 over the configured decompressed size, before decoding', () => {
    const small = createRemoteWriteDecoder({ maxDecompressedBytes: 100 });
    const timeseries = [{ labels: v1Labels([['__name__', 'x'.repeat(200)]]), samples: [{ value: 1, timestamp: 1 }] }];
    const err = failure(() => post(REMOTE_WRITE_V1, encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries }), small));
    assert.ok(err instanceof RemoteWriteTooLargeError);
    assert.equal(err.statusCode, 413);
    assert.equal(err.limitBytes, 100);
    assert.equal(remoteWriteErrorResponse(err).statusCode, 413);
  });

  it('answers 415 for an unsupported content type or encoding', () => {
    const body = encodeRemoteWriteBody(REMOTE_WRITE_V1, {});
    const err = failure(() => decoder.decode({ contentType: 'application/x-protobuf', contentEncoding: 'zstd', body }));
    assert.ok(err instanceof RemoteWriteUnsupportedError);
    assert.deepEqual(remoteWriteErrorResponse(err), { statusCode: 415, body: 'zstd encoding (compression) is not accepted by this server; only snappy is acceptable', headers: {} });
    const v1Only = createRemoteWriteDecoder({ acceptedMessages: [REMOTE_WRITE_V1] });
    assert.equal(failure(() => post(REMOTE_WRITE_V2, body, v1Only)).statusCode, 415);
  });

  it('reads a 1.0 body sent as 2.0 as an empty request (the reserved field numbers make it so)', () => {
    const v1Body = encodeRemoteWriteBody(REMOTE_WRITE_V1, { timeseries: [{ labels: v1Labels([['__name__', 'up']]), samples: [{ value: 1, timestamp: 1 }] }] });
    const request = post(REMOTE_WRITE_V2, v1Body);
    assert.deepEqual([request.series.length, request.problems.length], [0, 0]);
    assert.equal(remoteWriteResponse(request).headers['X-Prometheus-Remote-Write-Samples-Written'], '0');
  });

  it('lets the caller report fewer written than decoded', () => {
    const t = new SymbolTable();
    const body = encodeRemoteWriteBody(REMOTE_WRITE_V2, { symbols: t.symbols, timeseries: [{ labels_refs: t.labelsRefs([['__name__', 'up']]), samples: [{ value: 1, timestamp: 1 }] }] });
    const request = post(REMOTE_WRITE_V2, body);
    assert.equal(remoteWriteResponse(request, { samples: 0, histograms: 0, exemplars: 0 }).headers['X-Prometheus-Remote-Write-Samples-Written'], '0');
  });

  it('validates its configuration when created', () => {
    assert.throws(() => createRemoteWriteDecoder({ maxDecompressedBytes: -1 }), /invalid remote-write decode config: maxDecompressedBytes/);
  });
});
