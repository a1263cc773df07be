import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { PoolClosedError, QueueFullError, SessionPool } from './session-pool';
import { createStoreMetrics } from './store.metrics';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function pool(size: number, maxQueued: number) {
  const opened: number[] = [];
  const closed: number[] = [];
  let next = 0;
  const metrics = createStoreMetrics(new Registry());
  const p = await SessionPool.create<number>({
    open: async () => {
      opened.push(next);
      return next++;
    },
    close: (s) => closed.push(s),
    size,
    maxQueued,
    metrics,
  });
  return { p, opened, closed, metrics };
}

describe('SessionPool', () => {
  it('gives each running request a session of its own and queues the rest in order', async () => {
    const { p, metrics } = await pool(2, 10);
    const gates = [deferred(), deferred(), deferred()];
    const seen: number[] = [];
    const runs = gates.map((g, i) =>
      p.run(async (s) => {
        seen.push(s);
        await g.promise;
        return { value: i, spoiled: false };
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(new Set(seen).size, 2);
    assert.equal(p.queued, 1);
    assert.equal((await metrics.queued.get()).values[0]?.value, 1);
    gates[0]?.resolve();
    assert.equal(await runs[0], 0);
    gates[1]?.resolve();
    gates[2]?.resolve();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2]);
    assert.equal(seen[2], seen[0]);
  });

  it('tells how long the oldest running request has held its session', async () => {
    const { p } = await pool(1, 0);
    assert.equal(p.oldestRunningMs(), 0);
    const gate = deferred();
    const run = p.run(async () => {
      await gate.promise;
      return { value: 1, spoiled: false };
    });
    await new Promise((r) => setImmediate(r));
    assert.ok(p.oldestRunningMs(Date.now() + 5000) >= 5000);
    gate.resolve();
    await run;
    assert.equal(p.oldestRunningMs(Date.now() + 5000), 0);
  });

  it('refuses past the queue bound without running the work', async () => {
    const { p } = await pool(1, 1);
    const gate = deferred();
    const first = p.run(async () => {
      await gate.promise;
      return { value: 'a', spoiled: false };
    });
    const second = p.run(async () => ({ value: 'b', spoiled: false }));
    let ran = false;
    await assert.rejects(
      p.run(async () => {
        ran = true;
        return { value: 'c', spoiled: false };
      }),
      QueueFullError,
    );
    assert.equal(ran, false);
    gate.resolve();
    assert.deepEqual(await Promise.all([first, second]), ['a', 'b']);
  });

  it('replaces a spoiled session, and one whose work threw', async () => {
    const { p, opened, closed, metrics } = await pool(1, 0);
    await p.run(async () => ({ value: 1, spoiled: true }));
    await assert.rejects(p.run(async () => Promise.reject(new Error('x'))));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(closed, [0, 1]);
    assert.deepEqual(opened, [0, 1, 2]);
    assert.equal((await metrics.sessionsReplaced.get()).values[0]?.value, 2);
    assert.equal(await p.run(async (s) => ({ value: s, spoiled: false })), 2);
  });

  it('drain waits for running and queued work, refuses new work, then closes every session', async () => {
    const { p, closed } = await pool(1, 5);
    const gate = deferred();
    const done: string[] = [];
    const a = p.run(async () => {
      await gate.promise;
      done.push('a');
      return { value: 'a', spoiled: false };
    });
    const b = p.run(async () => {
      done.push('b');
      return { value: 'b', spoiled: false };
    });
    const drained = p.drain();
    await assert.rejects(p.run(async () => ({ value: 'c', spoiled: false })), PoolClosedError);
    assert.deepEqual(closed, []);
    gate.resolve();
    await Promise.all([a, b, drained]);
    assert.deepEqual(done, ['a', 'b']);
    assert.deepEqual(closed, [0]);
  });
});
