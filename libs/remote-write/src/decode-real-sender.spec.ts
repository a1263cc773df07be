import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRemoteWriteDecoder } from './decode-remote-write';
import { isStaleNaN } from './stale-nan';
import { compareUtf8 } from './validate-series-labels';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'src', 'testdata', name));
const decoder = createRemoteWriteDecoder();
const decode = (name: string) =>
  decoder.decode({ contentType: 'application/x-protobuf', contentEncoding: 'snappy', body: fixture(name) }, Date.UTC(2026, 11, 2, 7));

describe('bodies sent by a real Prometheus (Debian prometheus 2.42, remote_write 1.0)', () => {
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
