import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsOf, parseAll, parseFailure, seriesOf } from './testdata/parse-body';

const O = 'openmetrics-text' as const;

describe('OpenMetrics 1.0 text', () => {
  it('reads every family type, units, _created and exemplars', () => {
    const body = [
      '# TYPE req_bytes counter',
      '# UNIT req_bytes bytes',
      '# HELP req_bytes Requests \\"served\\".',
      'req_bytes_total{code="200"} 10 1700000000.5 # {trace_id="abc"} 1 1700000000.25',
      'req_bytes_created{code="200"} 1699999000',
      '# TYPE up gauge',
      'up 1',
      '# TYPE lat_seconds histogram',
      '# UNIT lat_seconds seconds',
      'lat_seconds_bucket{le="0.1"} 3 # {span_id="1"} 0.05',
      'lat_seconds_bucket{le="+Inf"} 5',
      'lat_seconds_count 5',
      'lat_seconds_sum 1.5',
      '# TYPE q gaugehistogram',
      'q_bucket{le="10"} 2',
      'q_gcount 2',
      'q_gsum 7',
      '# TYPE rpc summary',
      'rpc{quantile="0.9"} 3',
      '# TYPE build info',
      'build_info{version="1.2"} 1',
      '# TYPE feature stateset',
      'feature{feature="a"} 1',
      '# TYPE other unknown',
      'other 3',
      '# EOF',
      '',
    ].join('\n');
    const entries = parseAll(body, O);
    assert.deepEqual(entries.slice(0, 3), [
      { kind: 'type', line: 1, family: 'req_bytes', type: 'counter' },
      { kind: 'unit', line: 2, family: 'req_bytes', unit: 'bytes' },
      { kind: 'help', line: 3, family: 'req_bytes', help: 'Requests "served".' },
    ]);
    const series = seriesOf(body, O);
    assert.equal(series.length, 14);
    const [req, created] = series;
    assert.deepEqual(labelsOf(req!), ['__name__=req_bytes_total', 'code=200']);
    assert.equal(req!.timestampMs, 1700000000500);
    assert.deepEqual(req!.exemplar, { labels: [{ name: 'trace_id', value: 'abc' }], value: 1, timestampMs: 1700000000250 });
    assert.deepEqual(req!.metadata, { family: 'req_bytes', type: 'counter', help: 'Requests "served".', unit: 'bytes' });
    assert.equal(created!.name, 'req_bytes_created', '_created lines are samples of their own, as Prometheus keeps them by default');
    assert.equal(created!.value, 1699999000);
    assert.deepEqual(series[2]!.metadata?.type, 'gauge');
    assert.deepEqual(series[3]!.exemplar, { labels: [{ name: 'span_id', value: '1' }], value: 0.05 });
    assert.equal(series[3]!.metadata?.unit, 'seconds');
    assert.deepEqual(series.slice(7, 10).map((s) => s.metadata?.type), ['gaugehistogram', 'gaugehistogram', 'gaugehistogram']);
    assert.deepEqual(labelsOf(series[10]!), ['__name__=rpc', 'quantile=0.9']);
    assert.equal(series[11]!.metadata?.family, 'build');
    assert.equal(series[12]!.metadata?.type, 'stateset');
  });

  it('converts float-second timestamps to milliseconds, truncating as Go converts', () => {
    const [a, b, c] = seriesOf('a 1 1796191103.95\nb 1 -1.5\nc 1 0.0001\n# EOF\n', O);
    assert.equal(a!.timestampMs, Math.trunc(1796191103.95 * 1000));
    assert.equal(b!.timestampMs, -1500);
    assert.equal(c!.timestampMs, 0);
  });

  it('keeps exemplar label values as written and accepts quoted names and an empty set', () => {
    const [a, b] = seriesOf('a 1 # {"t.id"="x\\\\n"} 2\nb 1 # {} 3\n# EOF\n', O);
    assert.deepEqual(a!.exemplar?.labels, [{ name: 't.id', value: 'x\\\\n' }]);
    assert.deepEqual(b!.exemplar, { labels: [], value: 3 });
  });

  it('requires # EOF, last and alone', () => {
    assert.equal(parseFailure('a 1\n', O).message, 'data does not end with # EOF');
    assert.equal(parseFailure('a 1\n# EOF\n\n', O).message, 'line 3: unexpected data after # EOF');
    assert.equal(parseFailure('# EOF \n', O).message, 'line 1: unexpected data after # EOF');
    assert.equal(parseFailure('a 1\n# EOF\nb 2\n', O).message, 'line 3: unexpected data after # EOF');
    assert.deepEqual(seriesOf('a 1\n# EOF', O).map((s) => s.name), ['a'], 'the final line break is optional');
  });

  it('enforces the stricter syntax: no blank lines, comments, extra spaces or missing commas', () => {
    const cases: [string, string][] = [
      ['a 1\n\n# EOF\n', 'line 2: expected a valid start token, got "\\n" ("INVALID") while parsing: "\\n"'],
      ['# just a comment\n# EOF\n', 'line 1: expected a valid start token, got "# j" ("INVALID") while parsing: "# j"'],
      ['a{b="1", c="2"} 1\n# EOF\n', 'line 1: expected label name, got " " ("INVALID") while parsing: "a{b=\\"1\\", "'],
      ['a{b="1"c="2"} 1\n# EOF\n', 'line 1: expected comma or brace close, got "c=" ("LNAME") while parsing: "a{b=\\"1\\"c="'],
      ['a  1\n# EOF\n', 'line 1: expected value after metric, got "  " ("INVALID") while parsing: "a  "'],
      ['a{b="x\n', 'line 1: expected label value, got "\\"x\\n" ("INVALID") while parsing: "a{b=\\"x\\n"'],
      ['# TYPE a untyped\n# EOF\n', 'line 1: invalid metric type "untyped"'],
      ['# HELP a\n# EOF\n', 'line 1: expected text in HELP'],
      ['# UNIT a_bytes seconds\n# EOF\n', 'line 1: unit "seconds" not a suffix of metric "a_bytes"'],
      ['# UNIT seconds seconds\n# EOF\n', 'line 1: unit "seconds" not a suffix of metric "seconds"'],
      ['a 1 NaN\n# EOF\n', 'line 1: invalid timestamp NaN'],
      ['a 1 # {b="c"} 1 +Inf\n# EOF\n', 'line 1: invalid exemplar timestamp +Inf'],
      ['a 1 # {b="c"}\n# EOF\n', 'line 1: expected value after exemplar labels, got "\\n" ("INVALID") while parsing: "a 1 # {b=\\"c\\"}\\n"'],
      ['a 1 # {"x"} 1\n# EOF\n', 'line 1: expected label name, got "} " ("BCLOSE") while parsing: "a 1 # {\\"x\\"} "'],
      ['a 1 #{b="c"} 1\n# EOF\n', 'line 1: strconv.ParseFloat: parsing "#{b=\\"c\\"}": invalid syntax while parsing: "a 1 #{b=\\"c\\"}"'],
      ['a 1 2 # {b="c"} 1 2 \n# EOF\n', 'line 1: expected next entry after exemplar timestamp, got " \\n" ("INVALID") while parsing: "a 1 2 # {b=\\"c\\"} 1 2 \\n"'],
      ['a 1', 'line 1: data does not end with # EOF'],
    ];
    for (const [body, message] of cases) assert.equal(parseFailure(body, O).message, message, JSON.stringify(body));
  });

  it('accepts a unit that is the whole name after an underscore, and an empty unit', () => {
    const entries = parseAll('# UNIT _seconds seconds\n# UNIT a \n# EOF\n', O);
    assert.deepEqual(entries, [
      { kind: 'unit', line: 1, family: '_seconds', unit: 'seconds' },
      { kind: 'unit', line: 2, family: 'a', unit: '' },
    ]);
  });

  it('reads a quoted metric name inside the braces', () => {
    const [s] = seriesOf('{"foo.bar",a="b"} 1\n# EOF\n', O);
    assert.deepEqual(labelsOf(s!), ['__name__=foo.bar', 'a=b']);
  });
});
