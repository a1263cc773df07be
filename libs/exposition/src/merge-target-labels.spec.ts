import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Label } from './exposition.model';
import { mergeTargetLabels } from './merge-target-labels';

const labels = (o: Record<string, string>): Label[] => Object.entries(o).map(([name, value]) => ({ name, value }));
const flat = (ls: Label[]) => ls.map((l) => `${l.name}=${l.value}`);
const target = labels({ job: 'node', instance: 'h:9100' });

describe('mergeTargetLabels', () => {
  it('honor_labels false: target labels win, clashing scraped labels become exported_<name>', () => {
    const merged = mergeTargetLabels(labels({ __name__: 'up', instance: 'pod', job: 'app' }), target, false);
    assert.deepEqual(flat(merged), ['__name__=up', 'exported_instance=pod', 'exported_job=app', 'instance=h:9100', 'job=node']);
  });

  it('repeats the prefix until the name is free', () => {
    const merged = mergeTargetLabels(labels({ __name__: 'm', job: 'a', exported_job: 'b' }), labels({ job: 'node' }), false);
    assert.deepEqual(flat(merged), ['__name__=m', 'exported_exported_job=a', 'exported_job=b', 'job=node']);
  });

  it('renames shorter names first, so their exported names are taken first', () => {
    const merged = mergeTargetLabels(labels({ __name__: 'm', a: '1', exported_a: '2' }), labels({ exported_a: 't2', a: 't1' }), false);
    assert.deepEqual(flat(merged), ['__name__=m', 'a=t1', 'exported_a=t2', 'exported_exported_a=1', 'exported_exported_exported_a=2']);
  });

  it('honor_labels true: scraped values win, target labels fill in what is missing', () => {
    const merged = mergeTargetLabels(labels({ __name__: 'up', job: 'app' }), target, true);
    assert.deepEqual(flat(merged), ['__name__=up', 'instance=h:9100', 'job=app']);
  });

  it('drops empty values; with honor_labels an empty scraped label also keeps the target label out', () => {
    assert.deepEqual(flat(mergeTargetLabels(labels({ __name__: 'm', job: '', x: '' }), target, false)), ['__name__=m', 'instance=h:9100', 'job=node']);
    assert.deepEqual(flat(mergeTargetLabels(labels({ __name__: 'm', job: '' }), target, true)), ['__name__=m', 'instance=h:9100']);
  });

  it('keeps repeated scraped names for the series check to reject', () => {
    assert.deepEqual(flat(mergeTargetLabels(labels({ __name__: 'm' }).concat(labels({ a: '1' }), labels({ a: '2' })), [], false)), ['__name__=m', 'a=1', 'a=2']);
  });
});
