/**
 * The stage declarations (libs/contracts/src/stages.ts) are the one list of stages: these checks insist that the
 * apps/ folders, the compose services built from the app image, the Kubernetes Deployments, their autoscalers
 * and the lint scopes name exactly the declared stages, with the declared ports and scaling.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STAGE_NAMES, STAGES, nodeOptionsOf } from '@sextant/contracts';
import type { ComposeConfig } from './compose-rules';
import { ofKind, type DeploymentSpec, type HpaSpec, type K8sObject, type ScaledObjectSpec } from './k8s-objects';
import { STAGE_LABEL } from './k8s-rules';
import { renderCompose, renderKustomization, renderWithComponents } from './render-manifests';
import { REPO_ROOT } from './validation-tools';

const declared = [...STAGE_NAMES].sort();

// The lint config is an ES module; this project compiles to CommonJS, whose import() would become require().
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: unknown[] }>;

/** The options of a NODE_OPTIONS value, one by one. */
function optionsOf(value: string | null | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((o) => o !== '');
}

function stageOf(o: K8sObject): string | undefined {
  return o.metadata?.labels?.[STAGE_LABEL];
}

describe('stage declarations', () => {
  let compose: ComposeConfig;
  let base: K8sObject[];
  let keda: K8sObject[];

  before(() => {
    compose = renderCompose();
    base = renderKustomization('k8s/base');
    keda = renderWithComponents(['k8s/base'], ['k8s/components/keda']);
  });

  it('name exactly the apps/ folders, each tagged with its own lint scope', () => {
    const apps = readdirSync(join(REPO_ROOT, 'apps')).filter((d) => existsSync(join(REPO_ROOT, 'apps', d, 'project.json'))).sort();
    assert.deepEqual(apps, declared);
    for (const app of apps) {
      const project = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', app, 'project.json'), 'utf8')) as { tags?: string[] };
      assert.ok(project.tags?.includes(`scope:${app}`), `apps/${app}/project.json lacks tag scope:${app}`);
    }
  });

  it('name exactly the compose services built from the app image', () => {
    const apps = Object.entries(compose.services ?? {})
      .filter(([, s]) => s.build?.args?.APP !== undefined)
      .map(([name, s]) => {
        assert.equal(s.build?.args?.APP, name, `compose service ${name} builds another app`);
        return name;
      })
      .sort();
    assert.deepEqual(apps, declared);
    for (const name of STAGE_NAMES) {
      assert.equal(compose.services?.[name]?.environment?.SEXTANT_HTTP_PORT, String(STAGES[name].httpPort), name);
      assert.ok(optionsOf(compose.services?.[name]?.environment?.NODE_OPTIONS).includes(nodeOptionsOf(name)), `compose ${name} NODE_OPTIONS lacks ${nodeOptionsOf(name)}`);
    }
  });

  it('run each stage with its declared Node options in Kubernetes', () => {
    for (const d of ofKind<DeploymentSpec>(base, 'Deployment')) {
      const name = stageOf(d) as (typeof STAGE_NAMES)[number];
      const env = d.spec?.template?.spec?.containers?.[0]?.env ?? [];
      const options = env.find((e) => e.name === 'NODE_OPTIONS')?.value;
      assert.ok(optionsOf(options).includes(nodeOptionsOf(name)), `${name} Deployment NODE_OPTIONS (${options}) lacks ${nodeOptionsOf(name)}`);
    }
  });

  it('name exactly the Kubernetes Deployments, with the declared replicas and autoscaling', () => {
    const deployments = ofKind(base, 'Deployment');
    assert.deepEqual(deployments.map(stageOf).sort(), declared);
    const hpas = ofKind<HpaSpec>(base, 'HorizontalPodAutoscaler');
    for (const name of STAGE_NAMES) {
      const { minReplicas, maxReplicas, lagThreshold } = STAGES[name].scaling;
      const hpa = hpas.find((h) => stageOf(h) === name);
      assert.equal(hpa?.spec?.minReplicas, minReplicas, `${name} HPA minReplicas`);
      assert.equal(hpa?.spec?.maxReplicas, maxReplicas, `${name} HPA maxReplicas`);
      const scaled = ofKind<ScaledObjectSpec>(keda, 'ScaledObject').find((s) => stageOf(s) === name);
      const lagTrigger = scaled?.spec?.triggers?.find((t) => t.type === 'kafka');
      if (lagThreshold === 0) assert.equal(lagTrigger, undefined, `${name} consumes nothing: no lag trigger`);
      else assert.equal(lagTrigger?.metadata?.lagThreshold, String(lagThreshold), `${name} KEDA lagThreshold`);
    }
  });

  it('name exactly the stage scopes of the lint boundaries', async () => {
    const config = (await importModule(pathToFileURL(join(REPO_ROOT, 'eslint.config.mjs')).href)).default;
    const scopes = new Set<string>();
    for (const block of config) {
      const rule = (block as { rules?: Record<string, unknown> }).rules?.['@nx/enforce-module-boundaries'];
      if (!Array.isArray(rule)) continue;
      for (const c of (rule[1] as { depConstraints: { sourceTag: string }[] }).depConstraints) {
        const m = /^scope:(.+)$/.exec(c.sourceTag);
        if (m?.[1] && m[1] !== 'shared') scopes.add(m[1]);
      }
    }
    assert.deepEqual([...scopes].sort(), declared);
  });
});
