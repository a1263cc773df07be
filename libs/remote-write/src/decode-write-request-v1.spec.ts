import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs';
import { decodeRemoteWriteProtobuf } from './decode-remote-write';
import { resolveRemoteWriteDecodeConfig } from './remote-write.config';
import { RemoteWriteDecodeError } from './remote-write.error';
import { REMOTE_WRITE_V1 } from './remote-write.model';
import { remoteWriteResponse } from './remote-write-response';
import { float64Bits, isStaleNaN, STALE_NAN } from './stale-nan';
import { decodeV1, labelPairsOf, NOW_MS, v1Labels } from './testdata/remote-write-requests';

const up = (extra: readonly (readonly [string, string])[] = []) => v1Labels([['__name__', 'up'], ['job', 'node'], ...extra]);

describe('remote write 1.0 decoding', () => {
  it('decodes series, samples, exemplars, integer and float histograms and metadata exactly', () => {
    const request = decodeV1({
      timeseries: [
        {
          labels: v1Labels([['__name__', 'http_requests_total'], ['code', '200'], ['instance', 'a:9100']]),
          samples: [
            { value: 1.5, timestamp: 1_733_100_000_000 },
            { value: -2.25, timestamp: 1_733_100_015_000 },
          ],
          exemplars: [{ labels: v1Labels([['trace_id', 'abc'], ['span_id', 'def']]), value: 0.42, timestamp: 1_733_100_000_001 }],
        },
        {
          labels: v1Labels([['__name__', 'rpc_duration_seconds'], ['job', 'api']]),
          histograms: [
            {
              count_int: 5,
              sum: 12.5,
              schema: 3,
              zero_threshold: 1e-128,
              zero_count_int: 1,
              negative_spans: [{ offset: -2, length: 1 }],
              negative_deltas: [1],
              positive_spans: [{ offset: 0, length: 2 }, { offset: 3, length: 1 }],
              positive_deltas: [1, 0, 0],
              reset_hint: 'NO',
              timestamp: 1_733_100_000_000,
            },
            {
              count_float: 3.5,
              sum: 7,
              schema: -53,
              positive_spans: [{ offset: 0, length: 2 }],
              positive_counts: [1.5, 2],
              custom_values: [0.1, 1],
              reset_hint: 'GAUGE',
              timestamp: 1_733_100_015_000,
            },
          ],
        },
      ],
      metadata: [
        { type: 'COUNTER', metric_family_name: 'http_requests', help: 'Requests served.', unit: '' },
        { type: 'HISTOGRAM', metric_family_name: 'rpc_duration_seconds', help: 'RPC latency.', unit: 'seconds' },
      ],
    });
    assert.equal(request.message, 'prometheus.WriteRequest');
    assert.deepEqual(request.problems, []);
    assert.deepEqual(request.counts, { samples: 2, histograms: 2, exemplars: 1 });
    assert.deepEqual(request.series[0], {
      labels: [
        { name: '__name__', value: 'http_requests_total' },
        { name: 'code', value: '200' },
        { name: 'instance', value: 'a:9100' },
      ],
      samples: [
        { timestampMs: 1_733_100_000_000, value: 1.5, startTimestampMs: 0 },
        { timestampMs: 1_733_100_015_000, value: -2.25, startTimestampMs: 0 },
      ],
      histograms: [],
      exemplars: [{ labels: [{ name: 'span_id', value: 'def' }, { name: 'trace_id', value: 'abc' }], value: 0.42, timestampMs: 1_733_100_000_001 }],
      metadata: undefined,
    });
    assert.deepEqual(request.series[1]?.histograms, [
      {
        kind: 'integer',
        timestampMs: 1_733_100_000_000,
        startTimestampMs: 0,
        schema: 3,
        sum: 12.5,
        zeroThreshold: 1e-128,
        resetHint: 'no',
        positiveSpans: [{ offset: 0, length: 2 }, { offset: 3, length: 1 }],
        negativeSpans: [{ offset: -2, length: 1 }],
        customValues: [],
        count: 5,
        zeroCount: 1,
        positiveDeltas: [1, 0, 0],
        negativeDeltas: [1],
      },
      {
        kind: 'float',
        timestampMs: 1_733_100_015_000,
        startTimestampMs: 0,
        schema: -53,
        sum: 7,
        zeroThreshold: 0,
        resetHint: 'gauge',
        positiveSpans: [{ offset: 0, length: 2 }],
        negativeSpans: [],
        customValues: [0.1, 1],
        count: 3.5,
        zeroCount: 0,
        positiveCounts: [1.5, 2],
        negativeCounts: [],
      },
    ]);
    assert.deepEqual([...request.metadata], [
      ['http_requests', { type: 'counter', help: 'Requests served.', unit: '' }],
      ['rpc_duration_seconds', { type: 'histogram', help: 'RPC latency.', unit: 'seconds' }],
    ]);
  });

  it('keeps the stale marker bit for bit and tells it from an ordinary NaN', () => {
    const request = decodeV1({
      timeseries: [{ labels: up(), samples: [{ value: STALE_NAN, timestamp: 1 }, { value: NaN, timestamp: 2 }, { value: -0, timestamp: 3 }] }],
    });
    const [stale, nan, negativeZero] = request.series[0]?.samples ?? [];
    assert.equal(float64Bits(stale?.value ?? 0), 0x7ff0000000000002n);
    assert.equal(isStaleNaN(stale?.value ?? 0), true);
    assert.equal(Number.isNaN(nan?.value), true);
    assert.equal(isStaleNaN(nan?.value ?? 0), false);
    assert.equal(Object.is(negativeZero?.value, -0), true);
  });

  it('keeps a stale histogram sum bit for bit', () => {
    const request = decodeV1({ timeseries: [{ labels: up(), histograms: [{ count_int: 0, sum: STALE_NAN, timestamp: 5 }] }] });
    assert.equal(float64Bits(request.series[0]?.histograms[0]?.sum ?? 0), 0x7ff0000000000002n);
  });

  it('reads negative and large millisecond timestamps exactly', () => {
    const request = decodeV1({
      timeseries: [{ labels: up(), samples: [{ value: 1, timestamp: -1 }, { value: 1, timestamp: 2 ** 50 + 3 }, { value: 1, timestamp: '-9007199254740991' }] }],
    }, { maxAheadMs: Infinity });
    assert.deepEqual(request.series[0]?.samples.map((s) => s.timestampMs), [-1, 2 ** 50 + 3, -9007199254740991]);
  });

  it('sorts unsorted labels and drops labels with empty values, as Prometheus does', () => {
    const request = decodeV1({
      timeseries: [{ labels: v1Labels([['zone', 'b'], ['__name__', 'up'], ['empty', ''], ['Alpha', '1'], ['job', 'x']]), samples: [{ value: 1, timestamp: 1 }] }],
    });
    assert.deepEqual(labelPairsOf(request), [[['Alpha', '1'], ['__name__', 'up'], ['job', 'x'], ['zone', 'b']]]);
  });

  it('accepts UTF-8 metric and label names (Prometheus 3 validation) and refuses them with legacy validation', () => {
    const body = { timeseries: [{ labels: v1Labels([['__name__', 'http.server.duration'], ['service.name', 'api']]), samples: [{ value: 1, timestamp: 1 }] }] };
    assert.equal(decodeV1(body).series.length, 1);
    const legacy = decodeV1(body, { nameValidation: 'legacy' });
    assert.equal(legacy.series.length, 0);
    assert.deepEqual(legacy.problems.map((p) => p.message), [
      'series 0: invalid labels {__name__="http.server.duration", service.name="api"}: metric name "http.server.duration" is not a legacy Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*)',
    ]);
    const legacyLabel = decodeV1({ timeseries: [{ labels: v1Labels([['__name__', 'up'], ['9lives', 'x']]), samples: [] }] }, { nameValidation: 'legacy' });
    assert.match(legacyLabel.problems[0]?.message ?? '', /label name "9lives" is not a legacy Prometheus name/);
  });

  const invalidCases: [string, readonly (readonly [string, string])[], string][] = [
    ['no metric name', [['job', 'x']], 'series 0: invalid labels {job="x"}: no __name__ label'],
    ['an empty metric name', [['__name__', ''], ['job', 'x']], 'series 0: invalid labels {__name__="", job="x"}: the metric name (__name__) is empty'],
    ['an empty label name', [['__name__', 'up'], ['', 'x']], 'series 0: invalid labels {="x", __name__="up"}: a label name is empty'],
    ['a label name twice', [['__name__', 'up'], ['job', 'a'], ['job', 'b']], 'series 0: invalid labels {__name__="up", job="a", job="b"}: duplicate label name "job"'],
    ['a label name twice, once empty', [['__name__', 'up'], ['job', ''], ['job', 'b']], 'series 0: invalid labels {__name__="up", job="", job="b"}: duplicate label name "job"'],
    ['no labels at all', [], 'series 0: invalid labels {}: no __name__ label'],
  ];
  for (const [what, labels, message] of invalidCases) {
    it(`leaves out a series with ${what}, keeps the rest and still answers 204`, () => {
      const request = decodeV1({
        timeseries: [
          { labels: v1Labels(labels), samples: [{ value: 1, timestamp: 1 }, { value: 2, timestamp: 2 }], exemplars: [{ value: 1, timestamp: 1 }] },
          { labels: up(), samples: [{ value: 3, timestamp: 3 }] },
        ],
      });
      assert.deepEqual(request.problems, [{ seriesIndex: 0, message, dropped: { samples: 2, histograms: 0, exemplars: 1 }, badRequest: false }]);
      assert.deepEqual(labelPairsOf(request), [[['__name__', 'up'], ['job', 'node']]]);
      assert.deepEqual(request.counts, { samples: 1, histograms: 0, exemplars: 0 });
      assert.deepEqual(remoteWriteResponse(request), { statusCode: 204, body: '', headers: {} });
    });
  }

  it("answers 400 naming every invalid series with v1InvalidSeries 'reject'", () => {
    const body = {
      timeseries: [
        { labels: v1Labels([['job', 'x']]), samples: [{ value: 1, timestamp: 1 }] },
        { labels: up(), samples: [{ value: 1, timestamp: 1 }] },
        { labels: v1Labels([['__name__', 'up'], ['a', '1'], ['a', '2']]), samples: [{ value: 1, timestamp: 1 }] },
      ],
    };
    assert.throws(
      () => decodeV1(body, { v1InvalidSeries: 'reject' }),
      (err: unknown) =>
        err instanceof RemoteWriteDecodeError &&
        err.statusCode === 400 &&
        err.message ===
          'series 0: invalid labels {job="x"}: no __name__ label\nseries 2: invalid labels {__name__="up", a="1", a="2"}: duplicate label name "a"',
    );
  });

  it('refuses invalid UTF-8 in a label value or name', () => {
    const config = resolveRemoteWriteDecodeConfig();
    const valueBytes = labelBytes([['__name__', 'up'], ['job', Buffer.from([0x6e, 0xff, 0x6f])]]);
    assert.deepEqual(decodeRemoteWriteProtobuf(REMOTE_WRITE_V1, valueBytes, config).problems.map((p) => p.message), [
      'series 0: invalid labels {__name__="up", job="n\uFFFDo"}: the value of label "job" is not valid UTF-8',
    ]);
    const nameBytes = labelBytes([['__name__', 'up'], [Buffer.from([0xc3, 0x28]), 'x']]);
    assert.match(decodeRemoteWriteProtobuf(REMOTE_WRITE_V1, nameBytes, config).problems[0]?.message ?? '', /a label name is not valid UTF-8$/);
    const valid = labelBytes([['__name__', 'up'], ['city', Buffer.from('Zürich ✓ 𝄞', 'utf8')]]);
    assert.deepEqual(labelPairsOf(decodeRemoteWriteProtobuf(REMOTE_WRITE_V1, valid, config)), [[['__name__', 'up'], ['city', 'Zürich ✓ 𝄞']]]);
  });

  it('fails the whole request on an invalid native histogram, as the 1.0 handler rolls back', () => {
    assert.throws(
      () =>
        decodeV1({
          timeseries: [
            { labels: up(), samples: [{ value: 1, timestamp: 1 }] },
            { labels: up([['le', 'x']]), histograms: [{ count_int: 2, sum: 1, schema: 0, positive_spans: [{ offset: 0, length: 2 }], positive_deltas: [1], timestamp: 9 }] },
          ],
        }),
      {
        name: 'RemoteWriteDecodeError',
        message:
          'series 1 {__name__="up", job="node", le="x"}: invalid native histogram at 9: positive side: spans need 2 buckets, have 1 buckets: histogram spans specify different number of buckets than provided',
      },
    );
  });

  it('fails the whole request on a sample or histogram more than maxAheadMs in the future, drops such exemplars', () => {
    const later = NOW_MS + 10 * 60 * 1000;
    const ok = decodeV1({ timeseries: [{ labels: up(), samples: [{ value: 1, timestamp: later }], exemplars: [{ value: 1, timestamp: later + 1 }, { value: 2, timestamp: later }] }] });
    assert.deepEqual(ok.series[0]?.samples.length, 1);
    assert.deepEqual(ok.series[0]?.exemplars.map((e) => e.value), [2]);
    assert.deepEqual(ok.problems, [
      {
        seriesIndex: 0,
        message: `series 0 {__name__="up", job="node"}: exemplar 0 dropped: out of bounds: timestamp ${later + 1} is too far in the future (latest accepted ${later})`,
        dropped: { samples: 0, histograms: 0, exemplars: 1 },
        badRequest: false,
      },
    ]);
    assert.deepEqual(ok.counts, { samples: 1, histograms: 0, exemplars: 1 });
    assert.throws(() => decodeV1({ timeseries: [{ labels: up(), samples: [{ value: 1, timestamp: later + 1 }] }] }), {
      name: 'RemoteWriteDecodeError',
      message: `series 0 {__name__="up", job="node"}: sample out of bounds: timestamp ${later + 1} is too far in the future (latest accepted ${later})`,
    });
    assert.throws(() => decodeV1({ timeseries: [{ labels: up(), histograms: [{ count_int: 0, timestamp: later + 1 }] }] }), /invalid native histogram at \d+: out of bounds: timestamp/);
    assert.equal(decodeV1({ timeseries: [{ labels: up(), samples: [{ value: 1, timestamp: later + 1 }] }] }, { maxAheadMs: 60 * 60 * 1000 }).counts.samples, 1);
  });

  it('skips metadata without a family name and lets the last entry of a name win', () => {
    const request = decodeV1({
      metadata: [
        { type: 'GAUGE', metric_family_name: 'temp', help: 'first' },
        { type: 'COUNTER', metric_family_name: '', help: 'nameless' },
        { type: 'GAUGE', metric_family_name: 'temp', help: 'second', unit: 'celsius' },
      ],
    });
    assert.deepEqual([...request.metadata], [['temp', { type: 'gauge', help: 'second', unit: 'celsius' }]]);
    assert.equal(request.series.length, 0);
  });

  it('maps an unknown metric type number to unknown and ignores unknown fields', () => {
    const w = Writer.create();
    w.uint32((3 << 3) | 2).fork();
    w.uint32((1 << 3) | 0).int32(42);
    w.uint32((2 << 3) | 2).string('x');
    w.uint32((9 << 3) | 2).string('a field from the future');
    w.ldelim();
    w.uint32((2 << 3) | 0).uint32(7); // reserved WriteRequest field 2
    const request = decodeRemoteWriteProtobuf(REMOTE_WRITE_V1, w.finish(), resolveRemoteWriteDecodeConfig());
    assert.deepEqual([...request.metadata], [['x', { type: 'unknown', help: '', unit: '' }]]);
  });
});

/** A WriteRequest with one series of the given labels (raw bytes allowed) and one sample. */
function labelBytes(labels: readonly (readonly [string | Buffer, string | Buffer])[]): Uint8Array {
  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  for (const [name, value] of labels) {
    w.uint32((1 << 3) | 2).fork();
    w.uint32((1 << 3) | 2).bytes(Buffer.from(name));
    w.uint32((2 << 3) | 2).bytes(Buffer.from(value));
    w.ldelim();
  }
  w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(1).uint32((2 << 3) | 0).int64(1).ldelim();
  w.ldelim();
  return w.finish();
}
