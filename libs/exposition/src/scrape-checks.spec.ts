import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Label } from './exposition.model';
import { checkExemplar, checkSeriesLabels, SampleLimiter, verifyLabelLimits } from './scrape-checks';

const labels = (...pairs: [string, string][]): Label[] => pairs.map(([name, value]) => ({ name, value }));

describe('scrape checks', () => {
  it('requires a metric name and valid names', () => {
    assert.equal(checkSeriesLabels(labels(['a', 'b'])), 'missing metric name (__name__ label)');
    assert.equal(checkSeriesLabels(labels(['', 'x'], ['__name__', 'm'])), 'invalid metric name or label names: {""="x", __name__="m"}');
    assert.equal(checkSeriesLabels(labels(['__name__', 'bad\udcff'])), 'invalid metric name or label names: {__name__="bad\\xff"}');
    assert.equal(checkSeriesLabels(labels(['__name__', 'my.metric'], ['a.b', 'é'])), undefined, 'UTF-8 names are valid in Prometheus 3');
    assert.equal(checkSeriesLabels(labels(['__name__', 'm'], ['a', '1'], ['a', '2'])), 'label name "a" is not unique: invalid sample');
  });

  it('checks label_limit, label_name_length_limit and label_value_length_limit (bytes) with Prometheus messages', () => {
    const series = labels(['__name__', 'm'], ['job', 'j'], ['path', 'ééé']);
    assert.equal(verifyLabelLimits(series, { labelLimit: 2, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }), 'label_limit exceeded (metric: m, number of labels: 3, limit: 2)');
    assert.equal(verifyLabelLimits(series, { labelLimit: 3, labelNameLengthLimit: 3, labelValueLengthLimit: 0 }), 'label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 3)');
    assert.equal(verifyLabelLimits(series, { labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 5 }), 'label_value_length_limit exceeded (metric: m, label name: path, value: "ééé", length: 6, limit: 5)');
    assert.equal(verifyLabelLimits(series, { labelLimit: 3, labelNameLengthLimit: 8, labelValueLengthLimit: 6 }), undefined);
    assert.match(checkSeriesLabels(series, { labelLimit: 1, labelNameLengthLimit: 0, labelValueLengthLimit: 0 }) ?? '', /^label_limit exceeded/);
  });

  it('counts samples against sample_limit', () => {
    const limiter = new SampleLimiter(2);
    assert.deepEqual([limiter.add(), limiter.add(), limiter.exceeded, limiter.add(), limiter.exceeded], [true, true, false, false, true]);
    assert.equal(limiter.samples, 3);
    assert.equal(limiter.error, 'sample limit exceeded');
    const none = new SampleLimiter(0);
    for (let i = 0; i < 5; i++) none.add();
    assert.equal(none.exceeded, false);
  });

  it('drops exemplars over 128 characters of label names and values, counted in runes', () => {
    const at = (n: number) => ({ labels: labels(['trace_id', '😀'.repeat(n - 'trace_id'.length)]), value: 1 });
    assert.equal(checkExemplar(at(128)), undefined);
    assert.equal(checkExemplar(at(129)), 'label length for exemplar exceeds maximum of 128 UTF-8 characters');
    assert.equal(checkExemplar({ labels: labels(['a', '1'], ['a', '2']), value: 1 }), 'label name "a" is not unique: invalid exemplar');
  });
});
