#!/usr/bin/env node
// Runs one kind of test (unit | int | e2e) over the compiled output, with Node's own test runner,
// and prints the runner's spec report. Usage: node tools/run-tests.mjs <kind> [projectRoot ...]
// Unit specs are *.spec.js, integration specs *.int-spec.js (real infrastructure, one file at a time),
// end-to-end specs *.e2e-spec.js under test/. Build first (npm run build). Each test has a timeout per kind,
// so a test that hangs fails (and names itself) instead of holding the run until the CI limit.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const kinds = {
  unit: { suffix: '.spec.js', exclude: ['.int-spec.js', '.e2e-spec.js'], concurrency: 2, roots: ['libs', 'apps', 'infra', 'deploy', 'test'], timeoutMs: 120_000 },
  int: { suffix: '.int-spec.js', exclude: [], concurrency: 1, roots: ['libs', 'apps', 'infra'], timeoutMs: 600_000 },
  e2e: { suffix: '.e2e-spec.js', exclude: [], concurrency: 1, roots: ['test'], timeoutMs: 900_000 },
};
const [kind, ...projectRoots] = process.argv.slice(2);
const spec = kinds[kind];
if (!spec) {
  console.error(`usage: run-tests.mjs <${Object.keys(kinds).join('|')}> [projectRoot ...]`);
  process.exit(2);
}

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) walk(full, out);
    else if (full.includes(`${join('dist', '')}`) && name.endsWith(spec.suffix) && !spec.exclude.some((x) => name.endsWith(x))) out.push(full);
  }
  return out;
}

const roots = projectRoots.length > 0 ? projectRoots : spec.roots;
const files = roots.flatMap((r) => { try { return walk(resolve(r), []); } catch { return []; } }).sort();
if (files.length === 0) {
  console.log(`no ${kind} tests found under ${roots.join(', ')}`);
  process.exit(0);
}
const res = spawnSync(process.execPath, ['--test', `--test-concurrency=${spec.concurrency}`, `--test-timeout=${spec.timeoutMs}`, '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
