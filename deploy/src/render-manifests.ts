/**
 * Renders the deployment artefacts the way their tools see them: docker-compose.yml through
 * `docker-compose config` (anchors, merge keys and defaults resolved, the file validated against the Compose
 * schema) and a kustomization through `kustomize build` (patches, generators and name references applied).
 * The checks then run on that output, not on the source files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ComposeConfig } from './compose-rules';
import type { K8sObject } from './k8s-objects';
import { parseYamlDocuments, REPO_ROOT, runTool } from './validation-tools';

/** The compose file at the repository root. */
export const COMPOSE_FILE = 'docker-compose.yml';

// docker-compose.yml interpolates no variables, so a developer's .env cannot change what is checked.
function composeArgs(file: string): string[] {
  return ['-f', file];
}

/** Validates a compose file (`config -q`; default docker-compose.yml); throws with docker-compose's complaint. */
export function validateCompose(file: string = COMPOSE_FILE): void {
  runTool('docker-compose', [...composeArgs(file), 'config', '-q']);
}

/** A compose file (default docker-compose.yml) as resolved by `docker-compose config`. */
export function renderCompose(file: string = COMPOSE_FILE): ComposeConfig {
  const [config] = parseYamlDocuments(runTool('docker-compose', [...composeArgs(file), 'config']));
  return config as ComposeConfig;
}

/** Objects rendered from a kustomization folder given relative to the repository root (e.g. `k8s/base`). */
export function renderKustomization(dir: string): K8sObject[] {
  return parseYamlDocuments(runTool('kustomize', ['build', join(REPO_ROOT, dir)])) as K8sObject[];
}

/**
 * Renders `resources` plus `components` (folders relative to the repository root) through a throwaway
 * kustomization, the way an overlay would enable an optional component. kustomize accepts only relative
 * paths, so they are made relative to the temporary folder.
 */
export function renderWithComponents(resources: readonly string[], components: readonly string[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'sextant-kustomize-'));
  try {
    const rel = (p: string): string => relative(dir, join(REPO_ROOT, p));
    const lines = ['resources:', ...resources.map((r) => `  - ${rel(r)}`), 'components:', ...components.map((c) => `  - ${rel(c)}`)];
    writeFileSync(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
    return parseYamlDocuments(runTool('kustomize', ['build', dir])) as K8sObject[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
