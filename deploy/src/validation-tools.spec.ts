import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, runTool, toolsBinDir, type ValidationTool } from './validation-tools';

const TOOLS: ValidationTool[] = ['docker-compose', 'kustomize', 'yaml-to-json'];

describe('validation tools', () => {
  it('live under $SEXTANT_CACHE_DIR/tools/bin', () => {
    assert.equal(toolsBinDir({ SEXTANT_CACHE_DIR: '/x/cache' }), '/x/cache/tools/bin');
  });

  it('a missing tool is an error that names the installer, not a skip', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sextant-no-tools-'));
    try {
      assert.throws(() => requireTool('kustomize', { SEXTANT_CACHE_DIR: empty }), /kustomize is not installed at .*: run `bash deploy\/install-tools\.sh` first/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  for (const tool of TOOLS) {
    it(`${tool} is installed by deploy/install-tools.sh`, () => {
      requireTool(tool);
    });
  }

  it('are the pinned versions', () => {
    assert.equal(runTool('docker-compose', ['version', '--short']).trim(), '1.29.2');
    assert.equal(runTool('kustomize', ['version']).trim(), 'v5.5.0');
  });

  it('yaml-to-json turns a YAML stream into a JSON array of its documents', () => {
    const json = runTool('yaml-to-json', [], 'a: 1\n---\n# only a comment\n---\nb: [x, "2"]\n');
    assert.deepEqual(JSON.parse(json), [{ a: 1 }, { b: ['x', '2'] }]);
  });
});
