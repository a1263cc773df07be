import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsMatch } from './label-selector';
import { namespaceSelected } from './monitor-resources';

describe('label selectors and namespace selectors', () => {
  const labels = { app: 'payments', team: 'billing' };
  it('evaluate matchLabels and every expression operator', () => {
    assert.equal(labelsMatch({}, labels), true);
    assert.equal(labelsMatch(undefined, labels), false);
    assert.equal(labelsMatch({ matchLabels: { app: 'payments' } }, labels), true);
    assert.equal(labelsMatch({ matchLabels: { app: 'cart' } }, labels), false);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'team', operator: 'In', values: ['billing'] }] }, labels), true);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['billing'] }] }, labels), false);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, labels), true);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels), false);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(labelsMatch({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels), false);
  });

  it('select the own namespace by default, the named ones, or any', () => {
    assert.equal(namespaceSelected(undefined, 'monitoring', 'monitoring'), true);
    assert.equal(namespaceSelected(undefined, 'monitoring', 'payments'), false);
    assert.equal(namespaceSelected({ matchNames: ['payments'] }, 'monitoring', 'payments'), true);
    assert.equal(namespaceSelected({ matchNames: ['payments'] }, 'monitoring', 'monitoring'), false);
    assert.equal(namespaceSelected({ any: true }, 'monitoring', 'anything'), true);
  });
});
