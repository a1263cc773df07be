import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRemoteWriteDecoder } from './decode-remote-write';
import type { RemoteWriteRequest } from './remote-write.model';
import { remoteWriteResponse } from './remote-write-response';
import { isStaleNaN } from './stale-nan';
import { compareUtf8 } from './validate-series-labels';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'src', 'testdata', name));
const decoder = createRemoteWriteDecoder();
const decode = (name: string, contentType = 'application/x-protobuf') =>
  decoder.decode({ contentType, contentEncoding: 'snappy', body: fixture(name) }, Date.UTC(2026, 11, 2, 7));
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';
const named = (request: RemoteWriteRequest, name: string) => request.series.filter((s) => s.labels.some((l) => l.name === '__name__' && l.value === name));

describe('bodies sent by a real Prometheus (Debian prometheus 2.42, remote write 1.0)', () => {
  it('decodes every series, with sorted labels and no problems', () => {
    const request = decode('prometheus-2.42-samples.bin');
    assert.equal(request.message, 'prometheus.WriteRequest');
    assert.deepEqual(request.problems, []);
    assert.equal(request.series.length, 422);
    assert.equal(request.counts.samples, 422);
    for (const s of request.series) {
      assert.ok(s.labels.some((l) => l.name === '__name__'));
      for (let i = 1; i < s.labels.length; i++) assert.ok(compareUtf8((s.labels[i - 1] as { name: string }).name, (s.labels[i] as { name: string }).name) < 0);
    }
  });

  it('carries the staleness markers of a target that went away, and only those', () => {
    const request = decode('prometheus-2.42-samples.bin');
    const stale = request.series.filter((s) => s.samples.some((x) => isStaleNaN(x.value)));
    assert.deepEqual(
      stale.map((s) => s.labels.map((l) => `${l.name}=${l.value}`).join(',')),
      [
        '__name__=demo_requests_total,code=200,instance=127.0.0.1:19201,job=demo,path=/a',
        '__name__=demo_requests_total,code=500,instance=127.0.0.1:19201,job=demo,path=/a',
        '__name__=demo_temperature_celsius,instance=127.0.0.1:19201,job=demo,room=Zürich ✓',
      ],
    );
    const up = request.series.find((s) => s.labels.some((l) => l.value === 'up') && s.labels.some((l) => l.value === 'demo'));
    assert.equal(up?.samples[0]?.value, 0);
    assert.equal(isStaleNaN(up?.samples[0]?.value ?? 0), false);
  });

  it('reads the metadata requests by family name', () => {
    const request = decode('prometheus-2.42-metadata.bin');
    assert.equal(request.series.length, 0);
    assert.equal(request.metadata.size, 204);
    assert.deepEqual(request.metadata.get('demo_requests_total'), { type: 'counter', help: 'Requests served.', unit: '' });
    assert.deepEqual(request.metadata.get('demo_temperature_celsius'), { type: 'gauge', help: 'Temperature.', unit: '' });
  });
});

describe('bodies sent by a real Prometheus v0.316.0 (remote write 2.0)', () => {
  it('decodes series, per-series metadata, start timestamps and native histograms, answering 204', () => {
    const request = decode('prometheus-v0.316.0-v2-histograms.bin', V2);
    assert.equal(request.message, 'io.prometheus.write.v2.Request');
    assert.deepEqual(request.problems, []);
    assert.deepEqual(request.counts, { samples: 483, histograms: 16, exemplars: 1 });
    assert.ok(request.series.every((s) => s.metadata !== undefined));
    const [counter] = named(request, 'demo_requests_total').filter((s) => s.samples.length > 0);
    assert.deepEqual(counter?.metadata, { type: 'counter', help: 'Requests served.', unit: '' });
    assert.equal(counter?.samples[0]?.startTimestampMs, 1_733_000_000_500, 'from the OpenMetrics _created line');
    assert.deepEqual(request.metadata.get('demo_temperature_celsius'), { type: 'gauge', help: 'Temperature.', unit: 'celsius' });
    const histograms = request.series.flatMap((s) => s.histograms);
    assert.equal(histograms.length, 16);
    assert.ok(histograms.every((h) => h.kind === 'integer' && h.schema === 3 && h.startTimestampMs > 0));
    assert.deepEqual(remoteWriteResponse(request), {
      statusCode: 204,
      body: '',
      headers: {
        'X-Prometheus-Remote-Write-Samples-Written': '483',
        'X-Prometheus-Remote-Write-Histograms-Written': '16',
        'X-Prometheus-Remote-Write-Exemplars-Written': '1',
      },
    });
  });

  it("keeps the exemplar Prometheus's sender puts in a series of its own, unless told to refuse it", () => {
    const request = decode('prometheus-v0.316.0-v2-histograms.bin', V2);
    const carrier = named(request, 'demo_requests_total').find((s) => s.exemplars.length > 0);
    assert.deepEqual([carrier?.samples.length, carrier?.histograms.length], [0, 0]);
    assert.deepEqual(carrier?.exemplars[0]?.labels, [{ name: 'trace_id', value: 't2' }]);
    assert.equal(carrier?.exemplars[0]?.value, 1.5);
    const strict = createRemoteWriteDecoder({ exemplarOnlySeries: 'reject' }).decode(
      { contentType: V2, contentEncoding: 'snappy', body: fixture('prometheus-v0.316.0-v2-histograms.bin') },
      Date.UTC(2026, 11, 2, 7),
    );
    assert.equal(remoteWriteResponse(strict).statusCode, 400);
    assert.match(strict.problems[0]?.message ?? '', /demo_requests_total.* must contain at least one sample or histogram$/);
  });

  it('carries the staleness markers of the target that went away', () => {
    const request = decode('prometheus-v0.316.0-v2-stale.bin', V2);
    assert.deepEqual(request.problems, []);
    const stale = request.series.filter((s) => s.samples.some((x) => isStaleNaN(x.value)));
    assert.deepEqual(stale.map((s) => s.labels.find((l) => l.name === '__name__')?.value).sort(), ['demo_requests_total', 'demo_temperature_celsius']);
  });
});
