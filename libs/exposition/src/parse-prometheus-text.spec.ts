import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsOf, parseAll, parseFailure, seriesOf } from './testdata/parse-body';

const T = 'prometheus-text' as const;

describe('Prometheus text format', () => {
  it('reads every metric type with help, type, labels and timestamps', () => {
    const body = [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      '# TYPE temp gauge',
      'temp -3.5',
      '# TYPE lat histogram',
      'lat_bucket{le="0.05"} 24054',
      'lat_bucket{le="+Inf"} 144320',
      'lat_sum 53423',
      'lat_count 144320',
      '# TYPE rpc summary',
      'rpc{quantile="0.5"} 4773',
      'rpc_sum 1.7560473e+07',
      'rpc_count 2693',
      '# TYPE plain untyped',
      'plain 7',
      '',
    ].join('\n');
    const entries = parseAll(body, T);
    assert.deepEqual(entries[0], { kind: 'help', line: 1, family: 'http_requests_total', help: 'Requests served.' });
    assert.deepEqual(entries[1], { kind: 'type', line: 2, family: 'http_requests_total', type: 'counter' });
    const series = seriesOf(body, T);
    assert.equal(series.length, 10);
    assert.deepEqual(labelsOf(series[0]!), ['__name__=http_requests_total', 'code=200', 'method=post']);
    assert.equal(series[0]!.timestampMs, 1395066363000);
    assert.equal(series[0]!.line, 3);
    assert.deepEqual(series[0]!.metadata, { family: 'http_requests_total', type: 'counter', help: 'Requests served.', unit: '' });
    assert.equal(series[1]!.value, -3.5);
    assert.equal(series[1]!.timestampMs, undefined);
    assert.equal(series[3]!.value, 144320);
    assert.deepEqual(labelsOf(series[3]!), ['__name__=lat_bucket', 'le=+Inf']);
    assert.equal(series[4]!.metadata?.type, 'histogram');
    assert.equal(series[7]!.value, 17560473);
    assert.equal(series[9]!.metadata?.type, 'unknown', 'untyped is reported as unknown');
  });

  it('reads +Inf, -Inf and NaN in any case, and refuses spellings Go refuses', () => {
    const [a, b, c, d] = seriesOf('a +Inf\nb -inf\nc NaN\nd Nan\n', T);
    assert.equal(a!.value, Infinity);
    assert.equal(b!.value, -Infinity);
    assert.ok(Number.isNaN(c!.value) && Number.isNaN(d!.value));
    assert.match(parseFailure('a +NaN\n', T).message, /^line 1: strconv\.ParseFloat: parsing "\+NaN": invalid syntax while parsing: "a \+NaN"$/);
    assert.match(parseFailure('a 0x10\n', T).reason, /invalid syntax/);
    assert.equal(parseFailure('a 1_000\n', T).reason, 'unsupported character in float while parsing: "a 1_000"');
    assert.equal(parseFailure('a 1e400\n', T).reason, 'strconv.ParseFloat: parsing "1e400": value out of range while parsing: "a 1e400"');
    assert.equal(seriesOf('a 1e-400\n', T)[0]!.value, 0);
  });

  it('unescapes label values (\\\\, \\", \\n) and keeps other backslashes', () => {
    const [s] = seriesOf('m{a="x\\\\y\\"z\\nw\\tv"} 1\n', T);
    assert.equal(s!.labels[1]!.value, 'x\\y"z\nw\\tv');
  });

  it('unescapes help text (\\\\ and \\n only) and keeps its blanks after the first', () => {
    const [h] = parseAll('# HELP m  a \\"b\\" \\\\ \\n \n', T);
    assert.deepEqual(h, { kind: 'help', line: 1, family: 'm', help: ' a \\"b\\" \\ \n ' });
  });

  it('reads quoted UTF-8 metric and label names', () => {
    const [a, b] = seriesOf('{"my.metric", "label.name"="v"} 1\nfoo{"a.b"="c",} 2\n', T);
    assert.deepEqual(labelsOf(a!), ['__name__=my.metric', 'label.name=v']);
    assert.equal(a!.name, 'my.metric');
    assert.deepEqual(labelsOf(b!), ['__name__=foo', 'a.b=c']);
    const [type] = parseAll('# TYPE "my.metric" gauge\n', T);
    assert.deepEqual(type, { kind: 'type', line: 1, family: 'my.metric', type: 'gauge' });
  });

  it('allows blank lines, comments, blanks between tokens, trailing commas and missing commas', () => {
    const entries = parseAll('\n  \n# just a comment\n#no space\nm { a = "1" , b="2" c="3", } 4\t5\n', T);
    assert.deepEqual(entries.slice(0, 2), [
      { kind: 'comment', line: 3, text: '# just a comment' },
      { kind: 'comment', line: 4, text: '#no space' },
    ]);
    const s = entries[2];
    assert.ok(s?.kind === 'series');
    assert.deepEqual(labelsOf(s), ['__name__=m', 'a=1', 'b=2', 'c=3']);
    assert.equal(s.timestampMs, 5);
    assert.equal(s.line, 5);
  });

  it('keeps a raw line break inside a label value, reporting the line the sample starts on', () => {
    const [a, b] = seriesOf('m{a="x\ny"} 1\nn 2\n', T);
    assert.equal(a!.labels[1]!.value, 'x\ny');
    assert.equal(a!.line, 1);
    assert.equal(b!.line, 3);
  });

  it('respells le of histograms and quantile of summaries as OpenMetrics floats', () => {
    const series = seriesOf('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="1e-7"} 1\nh_bucket{le="+inf"} 1\n# TYPE s summary\ns{quantile="0.50"} 1\ns{quantile="x"} 1\n# TYPE g gauge\ng{le="1"} 1\n', T);
    assert.deepEqual(series.map((s) => s.labels[1]!.value), ['1.0', '1e-07', '+Inf', '0.5', 'x', '1']);
  });

  it('attaches metadata only to samples of the latest family', () => {
    const series = seriesOf('# TYPE a counter\n# HELP b other\na_total 1\nb 2\nb_total 3\n', T);
    assert.equal(series[0]!.metadata, undefined, 'a follows the help line of b');
    assert.deepEqual(series[1]!.metadata, { family: 'b', type: 'unknown', help: 'other', unit: '' });
    assert.equal(series[2]!.metadata, undefined, 'b is not a counter, so b_total is not of family b');
  });

  it('fails on malformed lines with the line number and the reference message', () => {
    const cases: [string, string][] = [
      ['ok 1\nfoo{a=b} 1\n', 'line 2: expected label value, got "b" ("INVALID") while parsing: "foo{a=b"'],
      ['foo 1 -5\n', 'line 1: expected timestamp or new record, got "-" ("INVALID") while parsing: "foo 1 -"'],
      ['foo 1 1.5\n', 'line 1: expected next entry after timestamp, got "." ("INVALID") while parsing: "foo 1 1."'],
      ['foo 1 2 3\n', 'line 1: expected next entry after timestamp, got "3\\n" ("TIMESTAMP") while parsing: "foo 1 2 3\\n"'],
      ['foo\n', 'line 1: expected value after metric, got "\\n" ("INVALID") while parsing: "foo\\n"'],
      ['foo{a="b",,} 1\n', 'line 1: expected label name, got ",}" ("COMMA") while parsing: "foo{a=\\"b\\",,}"'],
      ['foo{1a="c"} 1\n', 'line 1: expected label name, got "1" ("INVALID") while parsing: "foo{1"'],
      ['1foo 1\n', 'line 1: expected a valid start token, got "1" ("INVALID") while parsing: "1"'],
      ['{"a"="b"} 1\n', 'line 1: metric name not set while parsing: "{\\"a\\"=\\"b\\"} 1"'],
      ['{"m1","m2"} 1\n', 'line 1: metric name already set while parsing: "{\\"m1\\",\\"m2\\"}"'],
      ['# TYPE foo counter \n', 'line 1: invalid metric type "counter "'],
      ['# TYPE foo gaugehistogram\n', 'line 1: invalid metric type "gaugehistogram"'],
      ['foo 1\r\n', 'line 1: strconv.ParseFloat: parsing "1\\r": invalid syntax while parsing: "foo 1\\r"'],
      ['foo 1 99999999999999999999\n', 'line 1: strconv.ParseInt: parsing "99999999999999999999": value out of range while parsing: "foo 1 99999999999999999999"'],
      ['foo{a="b} 1\n', 'line 1: quoted string not closed before the end of the body'],
    ];
    for (const [body, message] of cases) assert.equal(parseFailure(body, T).message, message, JSON.stringify(body));
  });

  it('rejects invalid UTF-8 in label values and help, and accepts it in comments', () => {
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    assert.equal(parseFailure(bytes('foo{a="', [0xff], '"} 1\n'), T).message, 'line 1: invalid UTF-8 label value: "\\"\\xff\\""');
    assert.equal(parseFailure(bytes('ok 1\n# HELP foo ', [0xc3], '\n'), T).message, 'line 2: help text "\\xc3" is not a valid utf8 string');
    const [comment] = parseAll(bytes('# ', [0xff], ' comment\n'), T);
    assert.equal(comment?.kind, 'comment');
  });

  it('keeps the reference quirks: blanks before a name are part of it; a NUL at a record start ends the body', () => {
    assert.equal(seriesOf('  foo 1\n', T)[0]!.name, '  foo');
    assert.deepEqual(seriesOf('foo 1\n\0bar{ 2\n', T).map((s) => s.name), ['foo']);
    const [type] = parseAll('# TYPE foo-counter\n', T);
    assert.deepEqual(type, { kind: 'type', line: 1, family: 'foo', type: 'counter' }, 'the first character after the name is dropped');
  });
});
