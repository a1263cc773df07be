import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alertFingerprint, alertKey, logStreamKey, metricSeriesKey, seriesKey, traceKey } from './keys';
import { SAMPLE_LOG_RECORD } from './testdata/sample-records';

/**
 * Independent FNV-1a 64 for the test: 16-bit limbs in plain numbers (no BigInt), over the concatenated
 * `name 0xff value 0xff` byte string, checked below against the published FNV test vectors.
 */
function referenceFnv1a64(bytes: Uint8Array): string {
  let h = [0x2325, 0x8422, 0x9ce4, 0xcbf2]; // offset basis, little-endian 16-bit limbs
  for (const byte of bytes) {
    h[0] ^= byte;
    // multiply by prime 2^40 + 0x1b3: h*0x1b3 + (h << 40)
    const p = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) p[i] += h[i] * 0x1b3;
    p[2] += (h[0] << 8) & 0xffff;
    p[3] += ((h[0] >>> 8) & 0xff) | ((h[1] << 8) & 0xffff);
    let carry = 0;
    h = p.map((v) => {
      const s = v + carry;
      carry = Math.floor(s / 0x10000);
      return s % 0x10000;
    });
  }
  return h.reverse().map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

function referenceFingerprint(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts = names.flatMap((n) => [Buffer.from(n), Buffer.of(0xff), Buffer.from(labels[n]), Buffer.of(0xff)]);
  return referenceFnv1a64(Buffer.concat(parts));
}

describe('alertFingerprint', () => {
  it('reference implementation matches the published FNV-1a 64 vectors', () => {
    assert.equal(referenceFnv1a64(Buffer.from('')), 'cbf29ce484222325');
    assert.equal(referenceFnv1a64(Buffer.from('a')), 'af63dc4c8601ec8c');
    assert.equal(referenceFnv1a64(Buffer.from('foobar')), '85944171f73967e8');
  });

  it('hashes the empty label set to the FNV offset basis', () => {
    assert.equal(alertFingerprint({}), 'cbf29ce484222325');
  });

  it('matches fingerprints computed by Go (hash/fnv, as prometheus/common does)', () => {
    assert.equal(alertFingerprint({ alertname: 'HighLatency' }), '73dbeed5635ea4e4');
    assert.equal(alertFingerprint({ alertname: 'HighLatency', severity: 'page', job: 'api' }), 'a105e054dfb59f59');
    assert.equal(alertFingerprint({ zone: '東京', alertname: 'Ünïcode' }), '730f07d78090b954');
    assert.equal(alertFingerprint({ b: 'x', a: '' }), 'c5a5302263c79c50');
  });

  it('agrees with the independent reference on other label sets, whatever their order', () => {
    const sets: Record<string, string>[] = [{ instance: 'node-1:9100', job: 'node', alertname: 'NodeDown' }, { 'ü': '1', z: '2', 'a\u{1F600}': '3', 'a\uFFFF': '4' }];
    for (const labels of sets) {
      const reversed = Object.fromEntries(Object.entries(labels).reverse());
      assert.equal(alertFingerprint(labels), referenceFingerprint(labels));
      assert.equal(alertFingerprint(reversed), alertFingerprint(labels));
      assert.match(alertFingerprint(labels), /^[0-9a-f]{16}$/);
    }
  });

  it('separates names from values ({a:"bc"} is not {ab:"c"})', () => {
    assert.notEqual(alertFingerprint({ a: 'bc' }), alertFingerprint({ ab: 'c' }));
  });
});

describe('logStreamKey', () => {
  it('keys Kubernetes records by tenant, namespace, pod, container', () => {
    assert.equal(logStreamKey(SAMPLE_LOG_RECORD), 'acme/shop/checkout-7d9f-x2/app');
  });

  it('falls back to tenant and service without Kubernetes origin', () => {
    assert.equal(logStreamKey({ ...SAMPLE_LOG_RECORD, k8s: null }), 'acme/checkout');
    assert.equal(logStreamKey({ ...SAMPLE_LOG_RECORD, k8s: { namespace: '', pod: '', podUid: '', container: '', node: 'n', labels: {} } }), 'acme/checkout');
  });

  it('ignores the stream so stdout and stderr share a partition, and escapes separators', () => {
    assert.equal(logStreamKey({ ...SAMPLE_LOG_RECORD, stream: 'stdout' } as typeof SAMPLE_LOG_RECORD), logStreamKey(SAMPLE_LOG_RECORD));
    assert.equal(logStreamKey({ tenant: 'a/b', serviceName: 'c', k8s: null }), 'a%2Fb/c');
    assert.notEqual(logStreamKey({ tenant: 'a/b', serviceName: 'c', k8s: null }), logStreamKey({ tenant: 'a', serviceName: 'b/c', k8s: null }));
  });
});

describe('traceKey', () => {
  it('lowercases and pads 64-bit ids to 128 bits', () => {
    assert.equal(traceKey('4BF92F3577B34DA6A3CE929D0E0E4736'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(traceKey('a3ce929d0e0e4736'), '0000000000000000a3ce929d0e0e4736');
  });
});

describe('seriesKey', () => {
  it('is stable regardless of label order and ignores __name__', () => {
    const a = seriesKey('acme', 'http_requests_total', { job: 'checkout', code: '500' });
    assert.equal(a, 'acme/http_requests_total{code="500",job="checkout"}');
    assert.equal(seriesKey('acme', 'http_requests_total', { code: '500', __name__: 'http_requests_total', job: 'checkout' }), a);
  });

  it('escapes values and quotes non-classic names so different series never share a key', () => {
    assert.equal(seriesKey('t', 'm', { path: 'a"b\\c\nd' }), 't/m{path="a\\"b\\\\c\\nd"}');
    assert.equal(seriesKey('t', 'http.server.duration', { 'http.route': '/x' }), 't/"http.server.duration"{"http.route"="/x"}');
    assert.notEqual(seriesKey('t', 'm', { a: 'b",c="d' }), seriesKey('t', 'm', { a: 'b', c: 'd' }));
    assert.notEqual(seriesKey('t', 'm', {}), seriesKey('t', 'm', { a: '' }));
  });
});

describe('alertKey', () => {
  it('prefixes the fingerprint with the tenant', () => {
    assert.equal(alertKey('acme', '73dbeed5635ea4e4'), 'acme/73dbeed5635ea4e4');
  });
});

describe('metricSeriesKey', () => {
  it('adds job and instance from the resource as OpenTelemetry maps them, unless the labels have them', () => {
    const otlp = { tenant: 'acme', name: 'http_requests_total', attributes: { code: '500' }, resource: { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'n1' } };
    assert.equal(metricSeriesKey(otlp), seriesKey('acme', 'http_requests_total', { code: '500', job: 'shop/checkout', instance: 'pod-1' }));
    // The remote-written twin of that series carries job and instance as labels: one key.
    assert.equal(metricSeriesKey({ tenant: 'acme', name: 'http_requests_total', attributes: { code: '500', job: 'shop/checkout', instance: 'pod-1' }, resource: {} }), metricSeriesKey(otlp));
    assert.equal(metricSeriesKey({ ...otlp, resource: { 'service.name': 'checkout' } }), seriesKey('acme', 'http_requests_total', { code: '500', job: 'checkout' }));
    assert.equal(metricSeriesKey({ ...otlp, attributes: { code: '500', job: 'mine' } }), seriesKey('acme', 'http_requests_total', { code: '500', job: 'mine', instance: 'pod-1' }));
  });

  it('tells the same metric of two services apart', () => {
    const a = metricSeriesKey({ tenant: 't', name: 'm', attributes: {}, resource: { 'service.name': 'a' } });
    const b = metricSeriesKey({ tenant: 't', name: 'm', attributes: {}, resource: { 'service.name': 'b' } });
    assert.notEqual(a, b);
  });
});
