import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, TenantResolver, parseTokensFile } from './tenant-resolver';

describe('TenantResolver', () => {
  const tokens = parseTokensFile('# team tokens\nsecret-a  team-a\n\nsecret-b team-b\n');

  it('takes the tenant from the bearer token, over X-Scope-OrgID', () => {
    const r = new TenantResolver({ tokens, anonymous: true, defaultTenant: 'default' });
    assert.equal(r.resolve({ authorization: 'Bearer secret-b', 'x-scope-orgid': 'team-a' }), 'team-b');
  });

  it('refuses unknown tokens and, unless anonymous is on, missing ones', () => {
    const r = new TenantResolver({ tokens, anonymous: false, defaultTenant: 'default' });
    assert.throws(() => r.resolve({ authorization: 'Bearer nope' }), (e: unknown) => e instanceof AuthError && e.status === 401);
    assert.throws(() => r.resolve({}), /missing bearer token/);
    assert.throws(() => r.resolve({ authorization: 'Basic abc' }), /Bearer <token>/);
  });

  it('uses X-Scope-OrgID or the default tenant for anonymous requests', () => {
    const r = new TenantResolver({ tokens: new Map(), anonymous: true, defaultTenant: 'dev' });
    assert.equal(r.resolve({}), 'dev');
    assert.equal(r.resolve({ 'x-scope-orgid': 'acme' }), 'acme');
    assert.throws(() => r.resolve({ 'x-scope-orgid': 'a b' }), (e: unknown) => e instanceof AuthError && e.status === 400);
  });

  it('rejects malformed token files with the line number', () => {
    assert.throws(() => parseTokensFile('ok tenant\nbroken\n', 'tokens'), /tokens:2/);
  });
});
