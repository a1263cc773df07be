import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@sextant/config';
import { DEFAULT_STORE_PATH, DEFAULT_STORE_PORT, loadStoreSettings } from './store.config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadStoreSettings(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('store settings', () => {
  it('defaults: loopback, port 8123, the project data directory', () => {
    const s = loadStoreSettings({});
    assert.equal(s.host, '127.0.0.1');
    assert.equal(s.port, DEFAULT_STORE_PORT);
    assert.equal(s.path, DEFAULT_STORE_PATH);
    assert.equal(s.readonlyMaxQueryBytes, 256 * 1024);
  });

  it('names every bad variable, cross-field rules included', () => {
    const problems = problemsOf({ SEXTANT_STORE_PORT: '0', SEXTANT_STORE_SESSIONS: 'two', SEXTANT_STORE_MAX_BODY_BYTES: '1048576', SEXTANT_STORE_MAX_DECOMPRESSED_BYTES: '2048' });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^SEXTANT_STORE_PORT=/);
    assert.match(problems[1] ?? '', /^SEXTANT_STORE_SESSIONS=/);
    assert.match(problemsOf({ SEXTANT_STORE_MAX_BODY_BYTES: '1048576', SEXTANT_STORE_MAX_DECOMPRESSED_BYTES: '2048' })[0] ?? '', /SEXTANT_STORE_MAX_DECOMPRESSED_BYTES must be >=/);
  });
});
