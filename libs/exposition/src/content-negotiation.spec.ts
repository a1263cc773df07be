import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptHeader, DEFAULT_ACCEPT_HEADER, selectParser } from './content-negotiation';
import { parseMediaType } from './parse-media-type';

describe('content negotiation', () => {
  it('sends the Accept header Prometheus 3 sends by default', () => {
    assert.equal(
      DEFAULT_ACCEPT_HEADER,
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7,application/openmetrics-text;version=0.0.1;q=0.6,' +
        'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.3',
    );
    assert.equal(acceptHeader(['PrometheusText0.0.4'], 'underscores'), 'text/plain;version=0.0.4;q=0.7,*/*;q=0.6');
  });

  it('picks the parser from the Content-Type', () => {
    const pick = (ct: string | undefined) => {
      const s = selectParser(ct);
      return s.ok ? s.format : s.error;
    };
    assert.equal(pick('text/plain; version=0.0.4; charset=utf-8'), 'prometheus-text');
    assert.equal(pick('TEXT/PLAIN;Version=1.0.0;escaping=allow-utf-8'), 'prometheus-text');
    assert.equal(pick('text/plain'), 'prometheus-text');
    assert.equal(pick('text/plain;'), 'prometheus-text');
    assert.equal(pick('application/openmetrics-text; version=1.0.0; charset=utf-8'), 'openmetrics-text');
    assert.equal(pick('application/openmetrics-text;version=0.0.1'), 'openmetrics-text');
    assert.equal(pick('application/openmetrics-text'), 'openmetrics-text');
  });

  it('fails a missing, malformed or unknown Content-Type without a fallback, in Prometheus words', () => {
    const error = (ct: string | undefined) => {
      const s = selectParser(ct);
      return s.ok ? `picked ${s.format}` : s.error;
    };
    assert.equal(error(undefined), 'non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target');
    assert.equal(error('text/html'), 'received unsupported Content-Type "text/html" and no fallback_scrape_protocol specified for target');
    assert.equal(error('text/plain;;'), 'cannot parse Content-Type "text/plain;;" and no fallback_scrape_protocol for target\nmime: invalid media parameter');
    assert.match(error('application/openmetrics-text;version=2.0.0'), /openmetrics2 feature flag is not enabled and no fallback_scrape_protocol/);
    assert.match(error('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'), /protobuf exposition\) is not supported/);
  });

  it('uses the fallback protocol with a warning', () => {
    assert.deepEqual(selectParser('', { fallbackProtocol: 'PrometheusText0.0.4' }), {
      ok: true,
      format: 'prometheus-text',
      mediaType: 'text/plain',
      version: '',
      warning: 'non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol "text/plain"',
    });
    const om = selectParser('application/json', { fallbackProtocol: 'OpenMetricsText1.0.0' });
    assert.ok(om.ok && om.format === 'openmetrics-text' && om.warning === 'received unsupported Content-Type "application/json", using fallback_scrape_protocol "application/openmetrics-text"');
    const known = selectParser('text/plain;version=0.0.4', { fallbackProtocol: 'OpenMetricsText1.0.0' });
    assert.ok(known.ok && known.format === 'prometheus-text' && known.warning === undefined, 'a known Content-Type wins over the fallback');
  });

  it('parses media types as Go does', () => {
    const mt = parseMediaType(' Text/Plain ; Version="0.0.4" ;charset=utf-8');
    assert.ok(!(mt instanceof Error));
    assert.equal(mt.type, 'text/plain');
    assert.deepEqual([...mt.params], [['version', '0.0.4'], ['charset', 'utf-8']]);
    assert.equal((parseMediaType('garbage') as { type: string }).type, 'garbage');
    const failures: [string, string][] = [
      ['text /plain', 'mime: expected slash after first token'],
      ['text/plain x', 'mime: unexpected content after media subtype'],
      ['text/', 'mime: expected token after slash'],
      ['', 'mime: no media type'],
      ['text/plain;version', 'mime: invalid media parameter'],
      ['text/plain;version=1;version=2', 'mime: duplicate parameter name'],
    ];
    for (const [value, message] of failures) assert.equal((parseMediaType(value) as Error).message, message, value);
    assert.ok(!(parseMediaType('text/plain;version=1;version=1') instanceof Error), 'a repeated equal parameter is allowed');
  });
});
