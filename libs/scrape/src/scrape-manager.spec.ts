import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScrapeManager } from './scrape-manager';
import type { ScrapeTarget } from './scrape-target';
import { AssignedShardsOwnership, HashModOwnership, shardOf } from './sharding/shard-ownership';
import { FakeTarget } from './testing/fake-target';
import { isStale, RecordingSink } from './testing/sample-sink';
import { testTarget } from './testing/targets';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ScrapeManager', () => {
  let server: FakeTarget;
  /** 12 targets on one server, told apart by their `instance`-making path-free labels. */
  let targets: ScrapeTarget[];
  before(async () => {
    server = await FakeTarget.start({ body: 'a 1\n' });
    targets = Array.from({ length: 12 }, (_, i) => testTarget(server.address, { intervalMs: 100, timeoutMs: 80 }, { shard_test: String(i) }));
  });
  after(async () => {
    await server.close();
  });

  it('starts loops for a snapshot, stops removed targets with staleness, and restarts changed ones', async () => {
    const sink = new RecordingSink();
    const manager = new ScrapeManager({ tenant: 't', sink: sink.sink });
    manager.apply({ source: 'static', targets: targets.slice(0, 3) });
    assert.equal(manager.stats().targetsActive, 3);
    await Promise.all(manager.activeTargets().map((t) => manager.loopOf(t.key)!.scrapeOnce()));
    const removed = targets[0]!;
    manager.apply({ source: 'static', targets: targets.slice(1, 3) });
    await manager.settled();
    const staleCall = sink.calls.filter((c) => c.target.key === removed.key).at(-1)!;
    assert.ok(staleCall.samples.length === 6 && staleCall.samples.every(isStale), 'series and report series of the removed target go stale');
    const changed = testTarget(server.address, { intervalMs: 200, timeoutMs: 80 }, { shard_test: '1' });
    const before = manager.loopOf(changed.key);
    manager.apply({ source: 'static', targets: [changed, targets[2]!] });
    assert.notEqual(manager.loopOf(changed.key), before);
    assert.equal(manager.loopOf(changed.key)?.target.intervalMs, 200);
    await manager.stop();
    assert.equal(manager.stats().targetsActive, 0);
  });

  it('merges sources, bounds the loops and counts the excess', async () => {
    const manager = new ScrapeManager({ tenant: 't', sink: new RecordingSink().sink, maxTargets: 4 });
    manager.apply({ source: 'static', targets: targets.slice(0, 3) });
    manager.apply({ source: 'kubernetes', targets: targets.slice(2, 7) });
    const stats = manager.stats();
    assert.deepEqual([stats.targetsDiscovered, stats.targetsOwned, stats.targetsActive, stats.targetsOverLimit, stats.overLimit], [7, 7, 4, 3, true]);
    manager.apply({ source: 'kubernetes', targets: [] });
    assert.deepEqual([manager.stats().targetsActive, manager.stats().overLimit], [3, false]);
    await manager.stop();
  });

  it('counts scrapes, failures by reason and samples', async () => {
    const manager = new ScrapeManager({ tenant: 't', sink: new RecordingSink().sink });
    const limited = testTarget(server.address, { sampleLimit: 0 }, { case: 'ok' });
    const failing = testTarget('127.0.0.1:1', {}, { case: 'down' });
    manager.apply({ source: 'static', targets: [limited, failing] });
    await manager.loopOf(limited.key)!.scrapeOnce();
    await manager.loopOf(failing.key)!.scrapeOnce();
    const stats = manager.stats();
    assert.deepEqual([stats.scrapesOk, stats.scrapesFailed, stats.failuresByReason.http, stats.samplesScraped, stats.samplesStored, stats.targetsUp], [1, 1, 1, 1, 1, 1]);
    await manager.stop();
  });
});

describe('sharding', () => {
  const keys = Array.from({ length: 300 }, (_, i) => `job|http://10.1.${i >> 8}.${i & 255}:8080/metrics`);

  it('hashmod: each key belongs to exactly one of N static shards, spread over all', () => {
    const replicas = [0, 1, 2].map((i) => new HashModOwnership(i, 3));
    const perReplica = [0, 0, 0];
    for (const key of keys) {
      const owners = replicas.filter((r) => r.owns(key));
      assert.equal(owners.length, 1);
      perReplica[owners[0]!.index]!++;
    }
    for (const n of perReplica) assert.ok(n > 70, `spread: ${perReplica.join(',')}`);
    assert.throws(() => new HashModOwnership(3, 3), /shard index/);
  });

  it('assigned shards: ownership follows the assignment and tells listeners', () => {
    const o = new AssignedShardsOwnership(8, [0, 1]);
    let changes = 0;
    const off = o.onChange(() => changes++);
    const key = keys.find((k) => shardOf(k, 8) === 5)!;
    assert.equal(o.owns(key), false);
    o.assign([5, 6]);
    assert.equal(o.owns(key), true);
    o.assign([6, 5]);
    assert.equal(changes, 1, 'the same set is no change');
    off();
    o.assign([]);
    assert.equal(changes, 1);
    assert.throws(() => o.assign([8]), /shard must be/);
  });

  it('scrapes every target on exactly one of three replicas, also after a reassignment', async () => {
    const server = await FakeTarget.start({ body: 'a 1\n' });
    try {
      const targets = Array.from({ length: 30 }, (_, i) => testTarget(server.address, { intervalMs: 60_000, timeoutMs: 1000 }, { n: String(i) }));
      const N = 6;
      const ownerships = [new AssignedShardsOwnership(N, [0, 1]), new AssignedShardsOwnership(N, [2, 3]), new AssignedShardsOwnership(N, [4, 5])];
      const sinks = ownerships.map(() => new RecordingSink());
      const managers = ownerships.map((ownership, i) => new ScrapeManager({ tenant: 't', sink: sinks[i]!.sink, ownership, offsetSeed: `replica-${i}` }));
      for (const m of managers) m.apply({ source: 'kubernetes', targets });
      const scrapeAll = async (): Promise<Map<string, number>> => {
        const before = sinks.map((s) => s.calls.length);
        await Promise.all(managers.flatMap((m) => m.activeTargets().map((t) => m.loopOf(t.key)!.scrapeOnce())));
        const scrapedBy = new Map<string, number>();
        sinks.forEach((s, i) => s.calls.slice(before[i]).forEach((c) => scrapedBy.set(c.target.key, (scrapedBy.get(c.target.key) ?? 0) + 1)));
        return scrapedBy;
      };
      const exactlyOnce = (scrapedBy: Map<string, number>): void => {
        assert.equal(scrapedBy.size, targets.length);
        for (const t of targets) assert.equal(scrapedBy.get(t.key), 1, `${t.key} scraped once`);
      };
      exactlyOnce(await scrapeAll());
      assert.deepEqual(managers.map((m) => m.stats().targetsActive).reduce((a, b) => a + b), 30);
      // A rebalance: replica 2 leaves, its shards go to the others; handed-over targets get no staleness markers.
      ownerships[2]!.assign([]);
      ownerships[0]!.assign([0, 1, 4]);
      ownerships[1]!.assign([2, 3, 5]);
      await Promise.all(managers.map((m) => m.settled()));
      assert.equal(managers[2]!.stats().targetsActive, 0);
      assert.equal(sinks[2]!.calls.flatMap((c) => c.samples).filter(isStale).length, 0);
      exactlyOnce(await scrapeAll());
      await Promise.all(managers.map((m) => m.stop()));
    } finally {
      await server.close();
    }
  });

  it('runs scheduled loops on the new owner after a handover', async () => {
    const server = await FakeTarget.start({ body: 'a 1\n' });
    try {
      const target = testTarget(server.address, { intervalMs: 50, timeoutMs: 40 });
      const a = new AssignedShardsOwnership(2, [0, 1]);
      const b = new AssignedShardsOwnership(2, []);
      const sa = new RecordingSink();
      const sb = new RecordingSink();
      const ma = new ScrapeManager({ tenant: 't', sink: sa.sink, ownership: a });
      const mb = new ScrapeManager({ tenant: 't', sink: sb.sink, ownership: b });
      ma.apply({ source: 's', targets: [target] });
      mb.apply({ source: 's', targets: [target] });
      await wait(180);
      assert.ok(sa.calls.length >= 2 && sb.calls.length === 0);
      a.assign([]);
      await ma.settled();
      const aCalls = sa.calls.length;
      b.assign([0, 1]);
      await wait(180);
      assert.equal(sa.calls.length, aCalls, 'the old owner stopped');
      assert.ok(sb.calls.length >= 2, 'the new owner scrapes');
      await Promise.all([ma.stop(), mb.stop()]);
    } finally {
      await server.close();
    }
  });
});
