import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writer } from 'protobufjs';
import { decodeRemoteWriteProtobuf } from './decode-remote-write';
import { LabelSetCache } from './label-set-cache';
import { resolveRemoteWriteDecodeConfig } from './remote-write.config';
import { REMOTE_WRITE_V1 } from './remote-write.model';
import { NOW_MS } from './testdata/remote-write-requests';

type Field = ['label', string, string] | ['sample', number, number];

/** A WriteRequest with one TimeSeries per entry, its fields in exactly the order given. */
function writeRequest(...timeseries: Field[][]): Uint8Array {
  const w = Writer.create();
  for (const fields of timeseries) {
    w.uint32((1 << 3) | 2).fork();
    for (const f of fields) {
      if (f[0] === 'label') w.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string(f[1]).uint32((2 << 3) | 2).string(f[2]).ldelim();
      else w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 1).double(f[1]).uint32(2 << 3).int64(f[2]).ldelim();
    }
    w.ldelim();
  }
  return w.finish();
}

const label = (name: string, value: string): Field => ['label', name, value];
const sample = (value: number, at = NOW_MS): Field => ['sample', value, at];
const pairs = (labels: readonly { name: string; value: string }[]) => labels.map((l) => `${l.name}=${l.value}`).join(',');

describe('LabelSetCache', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);

  it('finds what was set for the same bytes, wherever they sit, and nothing for other bytes', () => {
    const cache = new LabelSetCache();
    const a = bytes(9, 1, 2, 3, 4, 5, 9);
    assert.equal(cache.get(a, 1, 6), undefined);
    const entry = cache.set(a, 1, 6, [{ name: 'n', value: 'v' }], undefined);
    assert.equal(cache.get(bytes(1, 2, 3, 4, 5), 0, 5), entry);
    assert.equal(cache.get(bytes(1, 2, 3, 4, 6), 0, 5), undefined);
    assert.equal(cache.get(bytes(1, 2, 3, 4), 0, 4), undefined);
  });

  it('keeps two generations of at most maxEntries, moving what is used back into the current one', () => {
    const cache = new LabelSetCache(2);
    const set = (b: number) => {
      cache.get(bytes(b), 0, 1);
      return cache.set(bytes(b), 0, 1, [], undefined);
    };
    const one = set(1);
    set(2);
    set(3); // 1 and 2 become the old generation
    assert.equal(cache.size, 3);
    assert.equal(cache.get(bytes(1), 0, 1), one); // back into the current one, with 3
    set(4); // current (3, 1) becomes old; 2 is dropped
    assert.equal(cache.size, 3);
    assert.equal(cache.get(bytes(2), 0, 1), undefined);
    assert.equal(cache.get(bytes(1), 0, 1), one);
  });
});

describe('decoding 1.0 through the label set cache', () => {
  const config = resolveRemoteWriteDecodeConfig();
  const decode = (bytes: Uint8Array, c = config) => decodeRemoteWriteProtobuf(REMOTE_WRITE_V1, bytes, c, NOW_MS);
  const series = [label('job', 'node'), label('__name__', 'up'), label('empty', ''), label('instance', 'a')];

  it('hands on the same validated label array for the same series in later requests', () => {
    const first = decode(writeRequest([...series, sample(1)]));
    const second = decode(writeRequest([label('__name__', 'other')], [...series, sample(2, NOW_MS + 1)]));
    assert.equal(pairs(first.series[0]?.labels ?? []), '__name__=up,instance=a,job=node');
    assert.equal(second.series[1]?.labels, first.series[0]?.labels);
    assert.deepEqual(second.series[1]?.samples, [{ value: 2, timestampMs: NOW_MS + 1, startTimestampMs: 0 }]);
  });

  it('reports an invalid series in every request, not only the first', () => {
    const bad = [label('job', 'x'), label('job', 'y'), label('__name__', 'dup')];
    for (let i = 0; i < 2; i++) {
      const request = decode(writeRequest([...bad, sample(1)], [label('__name__', 'ok'), sample(1)]));
      assert.equal(request.series.length, 1);
      assert.deepEqual(request.problems.map((p) => p.message), ['series 0: invalid labels {__name__="dup", job="x", job="y"}: duplicate label name "job"']);
    }
  });

  it('does not take a known label run for the whole label set when more labels follow the samples', () => {
    decode(writeRequest([...series, sample(1)]));
    const interleaved = decode(writeRequest([...series, sample(1), label('zone', 'eu')]));
    assert.equal(pairs(interleaved.series[0]?.labels ?? []), '__name__=up,instance=a,job=node,zone=eu');
    const again = decode(writeRequest([...series, sample(1), label('zone', 'eu')]));
    assert.equal(pairs(again.series[0]?.labels ?? []), '__name__=up,instance=a,job=node,zone=eu');
    assert.equal(pairs(decode(writeRequest([...series, sample(1)])).series[0]?.labels ?? []), '__name__=up,instance=a,job=node');
  });

  it('validates per configuration: a decoder with legacy names does not reuse a UTF-8 verdict', () => {
    const dotted = [label('__name__', 'http.requests'), sample(1)];
    assert.equal(decode(writeRequest(dotted)).series.length, 1);
    const legacy = resolveRemoteWriteDecodeConfig({ nameValidation: 'legacy' });
    assert.equal(decode(writeRequest(dotted), legacy).series.length, 0);
    assert.equal(decode(writeRequest(dotted)).series.length, 1);
  });
});
