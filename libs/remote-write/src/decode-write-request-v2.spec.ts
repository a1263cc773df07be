import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs';
import { decodeRemoteWriteProtobuf } from './decode-remote-write';
import { resolveRemoteWriteDecodeConfig } from './remote-write.config';
import { REMOTE_WRITE_V2 } from './remote-write.model';
import { remoteWriteResponse } from './remote-write-response';
import { float64Bits, STALE_NAN } from './stale-nan';
import { decodeV2, labelPairsOf, NOW_MS, SymbolTable } from './testdata/remote-write-requests';

const sample = (timestamp: number, value = 1) => ({ value, timestamp });

describe('remote write 2.0 decoding', () => {
  it('resolves labels, metadata and exemplars through the symbols table', () => {
    const t = new SymbolTable();
    const request = decodeV2({
      timeseries: [
        {
          labels_refs: t.labelsRefs([['__name__', 'http_requests_total'], ['job', 'api'], ['code', '200']]),
          samples: [{ value: 7, timestamp: 1_733_100_000_000, start_timestamp: 1_733_000_000_000 }],
          exemplars: [{ labels_refs: t.labelsRefs([['trace_id', 'abc']]), value: 1, timestamp: 1_733_100_000_000 }],
          metadata: { type: 'METRIC_TYPE_COUNTER', help_ref: t.ref('Requests.'), unit_ref: 0 },
        },
      ],
      symbols: t.symbols,
    });
    assert.deepEqual(request.problems, []);
    assert.equal(request.message, 'io.prometheus.write.v2.Request');
    assert.deepEqual(request.series, [
      {
        labels: [
          { name: '__name__', value: 'http_requests_total' },
          { name: 'code', value: '200' },
          { name: 'job', value: 'api' },
        ],
        samples: [{ timestampMs: 1_733_100_000_000, value: 7, startTimestampMs: 1_733_000_000_000 }],
        histograms: [],
        exemplars: [{ labels: [{ name: 'trace_id', value: 'abc' }], value: 1, timestampMs: 1_733_100_000_000 }],
        metadata: { type: 'counter', help: 'Requests.', unit: '' },
      },
    ]);
    assert.deepEqual([...request.metadata], [['http_requests_total', { type: 'counter', help: 'Requests.', unit: '' }]]);
    assert.deepEqual(request.counts, { samples: 1, histograms: 0, exemplars: 1 });
    assert.deepEqual(remoteWriteResponse(request), {
      statusCode: 204,
      body: '',
      headers: {
        'X-Prometheus-Remote-Write-Samples-Written': '1',
        'X-Prometheus-Remote-Write-Histograms-Written': '0',
        'X-Prometheus-Remote-Write-Exemplars-Written': '1',
      },
    });
  });

  it('decodes native histograms with start timestamps, both kinds and custom buckets', () => {
    const t = new SymbolTable();
    const request = decodeV2({
      symbols: t.symbols,
      timeseries: [
        {
          labels_refs: t.labelsRefs([['__name__', 'latency_seconds']]),
          histograms: [
            {
              count_int: 4,
              sum: STALE_NAN,
              schema: -4,
              zero_threshold: 0.001,
              zero_count_int: 2,
              positive_spans: [{ offset: 1, length: 2 }],
              positive_deltas: [2, -2],
              reset_hint: 'RESET_HINT_YES',
              timestamp: 10,
              start_timestamp: 5,
            },
            {
              count_float: 2.5,
              sum: 1.25,
              schema: -53,
              positive_spans: [{ offset: 1, length: 1 }],
              positive_counts: [2.5],
              custom_values: [0.5, 1, 5],
              timestamp: 11,
            },
          ],
          metadata: { type: 'METRIC_TYPE_HISTOGRAM', unit_ref: t.ref('seconds') },
        },
      ],
    });
    assert.deepEqual(request.problems, []);
    const [integer, float] = request.series[0]?.histograms ?? [];
    assert.equal(integer?.kind, 'integer');
    assert.deepEqual(
      { ...integer, sum: undefined },
      {
        kind: 'integer',
        timestampMs: 10,
        startTimestampMs: 5,
        schema: -4,
        sum: undefined,
        zeroThreshold: 0.001,
        resetHint: 'yes',
        positiveSpans: [{ offset: 1, length: 2 }],
        negativeSpans: [],
        customValues: [],
        count: 4,
        zeroCount: 2,
        positiveDeltas: [2, -2],
        negativeDeltas: [],
      },
    );
    assert.equal(float64Bits(integer?.sum ?? 0), 0x7ff0000000000002n);
    assert.deepEqual(float, {
      kind: 'float',
      timestampMs: 11,
      startTimestampMs: 0,
      schema: -53,
      sum: 1.25,
      zeroThreshold: 0,
      resetHint: 'unknown',
      positiveSpans: [{ offset: 1, length: 1 }],
      negativeSpans: [],
      customValues: [0.5, 1, 5],
      count: 2.5,
      zeroCount: 0,
      positiveCounts: [2.5],
      negativeCounts: [],
    });
    assert.deepEqual(request.series[0]?.metadata, { type: 'histogram', help: '', unit: 'seconds' });
    assert.deepEqual(request.counts, { samples: 0, histograms: 2, exemplars: 0 });
  });

  it('leaves out series with bad references or labels, keeps the rest, and answers 400 listing them', () => {
    const t = new SymbolTable();
    const good = t.labelsRefs([['__name__', 'up'], ['job', 'a']]);
    const size = t.symbols.length + 3; // symbols added below: 'b', 'x', 'Help'
    const timeseries = [
      { labels_refs: [good[0], good[1], good[2]], samples: [sample(1)] },
      { labels_refs: [good[0], good[1], 99, good[3]], samples: [sample(1)], exemplars: [{ value: 1 }] },
      { labels_refs: good, samples: [sample(1)], metadata: { unit_ref: 40 } },
      { labels_refs: good, samples: [sample(1)], metadata: { help_ref: 41 } },
      { labels_refs: t.labelsRefs([['job', 'b']]), samples: [sample(1), sample(2)] },
      { labels_refs: t.labelsRefs([['__name__', 'up'], ['job', 'x'], ['job', 'x']]), samples: [sample(1)] },
      { labels_refs: good, metadata: { type: 'METRIC_TYPE_GAUGE', help_ref: t.ref('Help') } },
      { labels_refs: good, exemplars: [{ value: 1, timestamp: 1 }] },
      { labels_refs: good, samples: [sample(5, 2)] },
    ];
    const request = decodeV2({ symbols: t.symbols, timeseries });
    assert.equal(t.symbols.length, size);
    assert.deepEqual(
      request.problems.map((p) => [p.seriesIndex, p.message, p.dropped]),
      [
        [0, 'series 0: labels_refs has odd length 3', { samples: 1, histograms: 0, exemplars: 0 }],
        [1, `series 1: labels_refs 99 (name) = ${good[3]} (value) outside of symbols table (size ${size})`, { samples: 1, histograms: 0, exemplars: 1 }],
        [2, `series 2: metadata unit_ref 40 outside of symbols table (size ${size})`, { samples: 1, histograms: 0, exemplars: 0 }],
        [3, `series 3: metadata help_ref 41 outside of symbols table (size ${size})`, { samples: 1, histograms: 0, exemplars: 0 }],
        [4, 'series 4: invalid labels {job="b"}: no __name__ label', { samples: 2, histograms: 0, exemplars: 0 }],
        [5, 'series 5: invalid labels {__name__="up", job="x", job="x"}: duplicate label name "job"', { samples: 1, histograms: 0, exemplars: 0 }],
        [6, 'series 6: {__name__="up", job="a"} must contain at least one sample, histogram or exemplar', { samples: 0, histograms: 0, exemplars: 0 }],
      ],
    );
    assert.deepEqual(labelPairsOf(request), [[['__name__', 'up'], ['job', 'a']], [['__name__', 'up'], ['job', 'a']]]);
    assert.deepEqual(request.series[0]?.exemplars, [{ labels: [], value: 1, timestampMs: 1 }]);
    assert.deepEqual(request.series[1]?.samples, [{ timestampMs: 5, value: 2, startTimestampMs: 0 }]);
    const response = remoteWriteResponse(request);
    assert.equal(response.statusCode, 400);
    assert.equal(response.body, request.problems.map((p) => p.message).join('\n'));
    assert.equal(response.body.split('\n').length, 7);
    assert.deepEqual(response.headers, {
      'X-Prometheus-Remote-Write-Samples-Written': '1',
      'X-Prometheus-Remote-Write-Histograms-Written': '0',
      'X-Prometheus-Remote-Write-Exemplars-Written': '1',
    });
  });

  it("keeps a series that carries only exemplars (as Prometheus's sender sends them), or refuses it with exemplarOnlySeries 'reject'", () => {
    const t = new SymbolTable();
    const body = { symbols: t.symbols, timeseries: [{ labels_refs: t.labelsRefs([['__name__', 'up']]), exemplars: [{ labels_refs: t.labelsRefs([['trace_id', 'x']]), value: 2, timestamp: 7 }] }] };
    const accepted = decodeV2(body);
    assert.deepEqual(accepted.problems, []);
    assert.deepEqual(accepted.counts, { samples: 0, histograms: 0, exemplars: 1 });
    const refused = decodeV2(body, { exemplarOnlySeries: 'reject' });
    assert.deepEqual(refused.problems.map((p) => [p.message, p.badRequest, p.dropped]), [
      ['series 0: {__name__="up"} must contain at least one sample or histogram', true, { samples: 0, histograms: 0, exemplars: 1 }],
    ]);
    assert.equal(remoteWriteResponse(refused).statusCode, 400);
  });

  it('refuses every series when the symbols table is missing, without failing the request', () => {
    const request = decodeV2({ timeseries: [{ labels_refs: [1, 2], samples: [sample(1)] }, { samples: [sample(1)] }] });
    assert.deepEqual(request.problems.map((p) => p.message), [
      'series 0: labels_refs 1 (name) = 2 (value) outside of symbols table (size 0)',
      'series 1: metadata unit_ref 0 outside of symbols table (size 0)',
    ]);
  });

  it('does not require symbol 0 to be the empty string, as Prometheus does not', () => {
    const request = decodeV2({ symbols: ['__name__', 'up'], timeseries: [{ labels_refs: [0, 1], samples: [sample(1)] }] });
    assert.deepEqual(request.problems, []);
    assert.deepEqual(labelPairsOf(request), [[['__name__', 'up']]]);
  });

  it('drops only the invalid histogram or the exemplar with a bad reference, keeping the series', () => {
    const t = new SymbolTable();
    const request = decodeV2({
      symbols: t.symbols,
      timeseries: [
        {
          labels_refs: t.labelsRefs([['__name__', 'h']]),
          histograms: [
            { count_int: 1, positive_spans: [{ offset: 0, length: 1 }], positive_deltas: [1], timestamp: 1 },
            { count_int: 1, schema: 9, timestamp: 2 },
            { count_int: 1, schema: 53, timestamp: 3 },
            { count_int: 3, positive_spans: [{ offset: 0, length: 1 }], positive_deltas: [1], timestamp: 4 },
          ],
          exemplars: [
            { labels_refs: [t.ref('trace_id')], value: 1, timestamp: 1 },
            { labels_refs: [t.ref('trace_id'), 500], value: 2, timestamp: 2 },
            { value: 3, timestamp: 0 },
          ],
        },
      ],
    });
    assert.deepEqual(request.problems.map((p) => [p.message, p.dropped]), [
      [
        'series 0 {__name__="h"}: invalid native histogram at 2: 0 observations found in buckets, but the Count field is 1: histogram\'s observation count should equal the number of observations found in the buckets (in absence of NaN)',
        { samples: 0, histograms: 1, exemplars: 0 },
      ],
      [
        'series 0 {__name__="h"}: invalid native histogram at 3: histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema 53',
        { samples: 0, histograms: 1, exemplars: 0 },
      ],
      [
        "series 0 {__name__=\"h\"}: invalid native histogram at 4: 1 observations found in buckets, but the Count field is 3: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)",
        { samples: 0, histograms: 1, exemplars: 0 },
      ],
      ['series 0 {__name__="h"}: exemplar 0: labels_refs has odd length 1', { samples: 0, histograms: 0, exemplars: 1 }],
      [`series 0 {__name__="h"}: exemplar 1: labels_refs ${t.ref('trace_id')} (name) = 500 (value) outside of symbols table (size ${t.symbols.length})`, { samples: 0, histograms: 0, exemplars: 1 }],
    ]);
    assert.deepEqual(request.series[0]?.histograms.map((h) => h.timestampMs), [1]);
    assert.deepEqual(request.series[0]?.exemplars, [{ labels: [], value: 3, timestampMs: 0 }]);
    assert.deepEqual(request.counts, { samples: 0, histograms: 1, exemplars: 1 });
  });

  it('leaves out samples and histograms too far in the future (400) and drops such exemplars without an error', () => {
    const t = new SymbolTable();
    const later = NOW_MS + 10 * 60 * 1000;
    const series = (extra: Record<string, unknown>) => ({ symbols: t.symbols, timeseries: [{ labels_refs: t.labelsRefs([['__name__', 'up']]), ...extra }] });
    const samples = decodeV2(series({ samples: [sample(later), sample(later + 1), sample(later - 1)], histograms: [{ count_int: 0, timestamp: later + 5 }] }));
    assert.deepEqual(samples.series[0]?.samples.map((s) => s.timestampMs), [later, later - 1]);
    assert.deepEqual(samples.series[0]?.histograms, []);
    assert.deepEqual(samples.problems.map((p) => [p.message, p.badRequest, p.dropped]), [
      [`series 0 {__name__="up"}: sample out of bounds: timestamp ${later + 1} is too far in the future (latest accepted ${later})`, true, { samples: 1, histograms: 0, exemplars: 0 }],
      [`series 0 {__name__="up"}: invalid native histogram at ${later + 5}: out of bounds: timestamp ${later + 5} is too far in the future (latest accepted ${later})`, true, { samples: 0, histograms: 1, exemplars: 0 }],
    ]);
    assert.equal(remoteWriteResponse(samples).statusCode, 400);
    const exemplars = decodeV2(series({ samples: [sample(1)], exemplars: [{ value: 1, timestamp: later + 1 }] }));
    assert.deepEqual(exemplars.problems.map((p) => p.badRequest), [false]);
    assert.deepEqual(exemplars.counts, { samples: 1, histograms: 0, exemplars: 0 });
    assert.deepEqual(remoteWriteResponse(exemplars), {
      statusCode: 204,
      body: '',
      headers: {
        'X-Prometheus-Remote-Write-Samples-Written': '1',
        'X-Prometheus-Remote-Write-Histograms-Written': '0',
        'X-Prometheus-Remote-Write-Exemplars-Written': '0',
      },
    });
  });

  it('accepts a reserved exponential schema (9..52) as Prometheus does after reducing it', () => {
    const t = new SymbolTable();
    const request = decodeV2({
      symbols: t.symbols,
      timeseries: [{ labels_refs: t.labelsRefs([['__name__', 'h']]), histograms: [{ count_int: 1, schema: 12, positive_spans: [{ offset: 5, length: 1 }], positive_deltas: [1], timestamp: 1 }] }],
    });
    assert.deepEqual(request.problems, []);
    assert.equal(request.series[0]?.histograms[0]?.schema, 12);
  });

  it('reads symbols sent after the series, invalid UTF-8 symbols, and merges a repeated metadata field', () => {
    const w = Writer.create();
    w.uint32((5 << 3) | 2).fork();
    w.uint32((1 << 3) | 2).fork().uint32(1).uint32(2).uint32(3).uint32(4).ldelim();
    w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(1).uint32((2 << 3) | 0).int64(1).ldelim();
    w.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 0).int32(2).ldelim();
    w.uint32((5 << 3) | 2).fork().uint32((3 << 3) | 0).uint32(5).ldelim();
    w.ldelim();
    for (const s of ['', '__name__', 'up', 'job', 'x', 'Help.']) w.uint32((4 << 3) | 2).string(s);
    const config = resolveRemoteWriteDecodeConfig();
    const request = decodeRemoteWriteProtobuf(REMOTE_WRITE_V2, w.finish(), config);
    assert.deepEqual(request.problems, []);
    assert.deepEqual(labelPairsOf(request), [[['__name__', 'up'], ['job', 'x']]]);
    assert.deepEqual(request.series[0]?.metadata, { type: 'gauge', help: 'Help.', unit: '' });

    const bad = Writer.create();
    for (const s of [Buffer.from(''), Buffer.from('__name__'), Buffer.from('up'), Buffer.from('job'), Buffer.from([0xe2, 0x82])]) bad.uint32((4 << 3) | 2).bytes(s);
    bad.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 2).fork().uint32(1).uint32(2).uint32(3).uint32(4).ldelim().uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(1).ldelim().ldelim();
    assert.deepEqual(decodeRemoteWriteProtobuf(REMOTE_WRITE_V2, bad.finish(), config).problems.map((p) => p.message), [
      'series 0: invalid labels {__name__="up", job="\uFFFD"}: the value of label "job" is not valid UTF-8',
    ]);
  });

  it('accepts unpacked labels_refs as proto3 parsers must', () => {
    const w = Writer.create();
    for (const s of ['', '__name__', 'up']) w.uint32((4 << 3) | 2).string(s);
    w.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 0).uint32(1).uint32((1 << 3) | 0).uint32(2).uint32((2 << 3) | 2).fork().uint32((2 << 3) | 0).int64(3).ldelim().ldelim();
    const request = decodeRemoteWriteProtobuf(REMOTE_WRITE_V2, w.finish(), resolveRemoteWriteDecodeConfig());
    assert.deepEqual(labelPairsOf(request), [[['__name__', 'up']]]);
    assert.deepEqual(request.series[0]?.samples, [{ timestampMs: 3, value: 0, startTimestampMs: 0 }]);
  });
});
