/**
 * The rules deploy/Dockerfile must keep, checked on its parsed form: a multi-stage build whose runtime (last)
 * stage starts from the expected slim Node base, carries production dependencies only (copied from a stage that
 * ran `npm ci --omit=dev`), runs as a fixed non-root uid, asks /healthz in its HEALTHCHECK, stops on SIGTERM,
 * and starts the app chosen by the APP build argument through an environment variable that can be overridden
 * at run time. Problems come back as sentences.
 */
import type { DockerInstruction, DockerStage, ParsedDockerfile } from './parse-dockerfile';

/** What the Dockerfile must provide. */
export interface DockerfileExpectations {
  /** The runtime stage's base image (global ARG defaults substituted) must match this. */
  runtimeBase: RegExp;
  /** Numeric uid the runtime stage runs as (Kubernetes' runAsUser must equal it). */
  uid: number;
}

function all(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

function last(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return all(stage, keyword).at(-1);
}

/** `KEY=value` pairs of ENV instructions (the legacy `ENV KEY value` form counts as one pair). */
function envPairs(stage: DockerStage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of all(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [key, ...rest] = args.split(/\s+/);
      env.set(key, rest.join(' '));
      continue;
    }
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
    }
  }
  return env;
}

/** `npm ci`, or deploy/npm-ci.sh (installed in the image as sextant-npm-ci). */
const NPM_CI = /\bnpm[ -]ci\b/;

function installsProductionOnly(stage: DockerStage): boolean {
  return all(stage, 'RUN').some((r) => NPM_CI.test(r.args) && r.args.includes('--omit=dev'));
}

function runtimeProblems(parsed: ParsedDockerfile, runtime: DockerStage, expect: DockerfileExpectations): string[] {
  const problems: string[] = [];
  if (!expect.runtimeBase.test(runtime.resolvedFrom)) problems.push(`runtime stage is based on '${runtime.resolvedFrom}', expected ${String(expect.runtimeBase)}`);

  const user = last(runtime, 'USER')?.args.split(':')[0];
  if (user === undefined) problems.push('runtime stage sets no USER: the app would run as root');
  else if (user === 'root' || user === '0') problems.push(`runtime stage runs as root ('USER ${user}')`);
  else if (user !== String(expect.uid)) problems.push(`runtime stage runs as '${user}', expected the numeric uid ${expect.uid}`);

  if (all(runtime, 'RUN').some((r) => (NPM_CI.test(r.args) || /\bnpm (install|i)\b/.test(r.args)) && !r.args.includes('--omit=dev'))) {
    problems.push('runtime stage installs dependencies including dev ones');
  }
  const stagesByName = new Map(parsed.stages.filter((s) => s.name !== null).map((s) => [s.name ?? '', s]));
  const modulesCopy = all(runtime, 'COPY').find((c) => /--from=\S+/.test(c.args) && c.args.includes('node_modules'));
  const source = modulesCopy ? stagesByName.get(/--from=(\S+)/.exec(modulesCopy.args)?.[1] ?? '') : undefined;
  if (source === undefined || !installsProductionOnly(source)) {
    problems.push('runtime stage does not copy node_modules from a stage that ran `npm ci --omit=dev`');
  }

  const healthcheck = last(runtime, 'HEALTHCHECK');
  if (healthcheck === undefined || /^NONE\b/i.test(healthcheck.args) || !healthcheck.args.includes('/healthz')) {
    problems.push('runtime stage has no HEALTHCHECK asking /healthz');
  }
  if (last(runtime, 'STOPSIGNAL')?.args !== 'SIGTERM') problems.push('runtime stage does not set STOPSIGNAL SIGTERM');

  if (!all(runtime, 'ARG').some((a) => /^APP(=|$)/.test(a.args))) problems.push('runtime stage declares no ARG APP');
  const appVars = [...envPairs(runtime)].filter(([, value]) => value === '${APP}' || value === '$APP').map(([key]) => key);
  if (appVars.length === 0) problems.push('no ENV carries the APP build argument into the running container');
  const cmd = last(runtime, 'CMD')?.args ?? '';
  if (!appVars.some((v) => cmd.includes(`\${${v}}`) || cmd.includes(`$${v}`)) || !cmd.includes('dist/main.js')) {
    problems.push(`CMD does not start apps/<app>/dist/main.js from ${appVars.join(' or ') || 'the APP variable'}`);
  }
  return problems;
}

/** Problems of a parsed Dockerfile against `expect`; empty when it keeps every rule. */
export function dockerfileProblems(parsed: ParsedDockerfile, expect: DockerfileExpectations): string[] {
  const problems: string[] = [];
  if (parsed.stages.length < 2) problems.push(`not a multi-stage build (${parsed.stages.length} stage)`);
  const names = new Set<string>();
  for (const stage of parsed.stages) {
    for (const copy of all(stage, 'COPY')) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      if (from !== undefined && !names.has(from)) problems.push(`line ${copy.line}: COPY --from=${from} names no earlier stage`);
    }
    if (stage.name !== null) names.add(stage.name);
  }
  const runtime = parsed.stages.at(-1);
  return runtime === undefined ? [...problems, 'no FROM: no stage at all'] : [...problems, ...runtimeProblems(parsed, runtime, expect)];
}
