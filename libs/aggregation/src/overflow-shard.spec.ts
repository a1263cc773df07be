import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { at, sample } from './testdata/samples';

describe('overflow series rows', () => {
  it('carry the partition as their shard, so the overflow partials of several partitions stay apart downstream', () => {
    const rowsOf = (partition: number) => {
      const engine = new MetricAggregator({ resolutionsMs: [10_000], maxSeriesPerMetric: 1, allowedLatenessMs: 0, maxOutOfOrderMs: 0 }, { partition, store: new MemoryAggregatorState() });
      for (const id of ['a', 'b', 'c']) engine.add(sample({ attributes: { id }, timeUnixNano: at(1), value: 1 }));
      engine.add(sample({ name: 'clock', timeUnixNano: at(60) }));
      return engine.drain().filter((r) => r.name === 'm');
    };
    for (const partition of [0, 2]) {
      const rows = rowsOf(partition);
      const overflow = rows.filter((r) => r.overflow);
      assert.equal(overflow.length, 1);
      assert.deepEqual([overflow[0]?.shard, overflow[0]?.count], [partition, 2n]);
      assert.deepEqual(rows.filter((r) => !r.overflow).map((r) => r.shard), [-1], 'a series of its own keeps shard -1');
    }
  });
});
