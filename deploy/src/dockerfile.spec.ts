import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERFILE_EXPECTATIONS, DOCKERFILE_PATH, IMAGE_UID, STAGES } from './deployment-expectations';
import { dockerfileProblems } from './dockerfile-rules';
import { isExcluded, parseDockerignore } from './dockerignore-rules';
import { parseDockerfile } from './parse-dockerfile';
import { REPO_ROOT } from './validation-tools';

const text = readFileSync(join(REPO_ROOT, DOCKERFILE_PATH), 'utf8');
const problemsOf = (t: string): string[] => dockerfileProblems(parseDockerfile(t), DOCKERFILE_EXPECTATIONS);

describe('deploy/Dockerfile', () => {
  it('keeps every rule', () => {
    assert.deepEqual(problemsOf(text), []);
  });

  it('is multi-stage and its runtime stage runs as the non-root uid Kubernetes expects', () => {
    const parsed = parseDockerfile(text);
    assert.ok(parsed.stages.length >= 2);
    const runtime = parsed.stages[parsed.stages.length - 1];
    assert.equal(runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args, `${IMAGE_UID}:${IMAGE_UID}`);
    assert.match(runtime.resolvedFrom, /^node:20\.\d+\.\d+-bookworm-slim$/);
  });

  it("HEALTHCHECK's default ports agree with each stage's port", () => {
    const runtime = parseDockerfile(text).stages.at(-1);
    const healthcheck = runtime?.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    for (const { stage, adminPort } of STAGES) assert.ok(healthcheck.includes(`${stage}:${adminPort}`), `${stage}:${adminPort} not in ${healthcheck}`);
  });

  it('builds without the embedded engine unless EMBEDDED_CLICKHOUSE=true, keeping other native bindings', () => {
    assert.match(text, /ARG EMBEDDED_CLICKHOUSE=false/);
    assert.match(text, /if \[ "\$EMBEDDED_CLICKHOUSE" = false \]; then rm -rf node_modules\/@chdb\/lib-\*; fi/);
    // Only chDB's library goes: the other optional dependencies are native bindings libraries need at run time.
    assert.doesNotMatch(text.slice(text.indexOf('AS prod-deps')), /--omit=optional/);
  });

  describe('the rules catch', () => {
    it('a runtime stage without USER', () => {
      assert.ok(problemsOf(text.replace(/^USER .*$/m, '')).some((p) => p.includes('sets no USER')));
    });
    it('USER root', () => {
      assert.ok(problemsOf(text.replace(/^USER .*$/m, 'USER root')).some((p) => p.includes('runs as root')));
    });
    it('a single-stage build', () => {
      assert.ok(problemsOf('FROM node:20-bookworm-slim\nUSER 10001\n').some((p) => p.includes('not a multi-stage build')));
    });
    it('another runtime base image', () => {
      const swapped = text.replace(/^ARG NODE_IMAGE=.*$/m, 'ARG NODE_IMAGE=node:20-alpine');
      assert.ok(problemsOf(swapped).some((p) => p.includes("based on 'node:20-alpine'")));
    });
    it('a missing HEALTHCHECK and STOPSIGNAL', () => {
      const stripped = text.replace(/^HEALTHCHECK [\s\S]*?\n(?=\S)/m, '').replace(/^STOPSIGNAL .*$/m, '');
      const problems = problemsOf(stripped);
      assert.ok(problems.some((p) => p.includes('HEALTHCHECK')));
      assert.ok(problems.some((p) => p.includes('STOPSIGNAL')));
    });
    it('dev dependencies in the runtime image', () => {
      assert.ok(problemsOf(text.replace(/npm-ci --omit=dev /, 'npm-ci ')).some((p) => p.includes('--omit=dev')));
    });
    it('a CMD that ignores the app variable', () => {
      assert.ok(problemsOf(text.replace(/^CMD .*$/m, 'CMD ["node", "apps/ingest/dist/main.js"]')).some((p) => p.includes('CMD')));
    });
  });
});

describe('.dockerignore', () => {
  const patterns = parseDockerignore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

  for (const path of ['node_modules/x/index.js', 'libs/kafka/node_modules/y', 'apps/ingest/dist/main.js', '.sextant/data', '.nx/cache', '.git/HEAD', 'deploy/src/x.ts', 'k8s/base/kustomization.yaml']) {
    it(`leaves ${path} out of the build context`, () => {
      assert.ok(isExcluded(path, patterns));
    });
  }

  it('sends every file the Dockerfile COPYs from the context', () => {
    const sources = parseDockerfile(text)
      .stages.flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1))
      .filter((src) => src !== '.');
    assert.deepEqual(sources, ['deploy/npm-ci.sh', 'deploy/npm-ci.sh']);
    for (const src of sources) assert.equal(isExcluded(src, patterns), false, src);
    for (const src of ['package.json', 'package-lock.json', 'libs/contracts/schemas/log-record.avsc', 'libs/otlp/proto/opentelemetry/proto/metrics/v1/metrics.proto', 'libs/remote-write/proto/prompb/remote.proto', 'apps/sink/src/main.ts']) {
      assert.equal(isExcluded(src, patterns), false, src);
    }
  });

  it('matches like Docker: the last matching line wins, `**` spans folders', () => {
    const p = parseDockerignore('**/dist\ndocs\n!docs/keep.md\n# note\n*.log\n');
    assert.equal(isExcluded('a/b/dist/x.js', p), true);
    assert.equal(isExcluded('dist', p), true);
    assert.equal(isExcluded('docs/other.md', p), true);
    assert.equal(isExcluded('docs/keep.md', p), false);
    assert.equal(isExcluded('x.log', p), true);
    assert.equal(isExcluded('sub/x.log', p), false);
  });
});
