import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LivenessChecks } from './liveness-checks';

describe('LivenessChecks', () => {
  it('is ok with no probes and while every probe is alive', () => {
    const c = new LivenessChecks();
    assert.deepEqual(c.run(), { status: 'ok', wedged: {} });
    c.add({ name: 'consumer', wedged: () => null });
    assert.equal(c.run().status, 'ok');
  });

  it('reports every wedged component with its reason, and recovers when it does', () => {
    const c = new LivenessChecks();
    let stuck: string | null = 'no progress for 120 s with lag 5000';
    c.add({ name: 'consumer', wedged: () => stuck });
    c.add({ name: 'transactions', wedged: () => null });
    c.add({
      name: 'broken',
      wedged: () => {
        throw new Error('boom');
      },
    });
    assert.deepEqual(c.run(), { status: 'wedged', wedged: { consumer: 'no progress for 120 s with lag 5000', broken: 'liveness probe failed: boom' } });
    stuck = null;
    assert.deepEqual(Object.keys(c.run().wedged), ['broken']);
  });
});
