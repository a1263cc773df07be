/**
 * Finds and runs the offline validation tools that deploy/install-tools.sh puts in one cache folder
 * (docker-compose 1.29, kustomize v5.5.0, yaml-to-json). The checks look only there, never on PATH, so a
 * passing run always used the pinned versions; a missing tool is an error that names the installer, never a
 * skipped test.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Names of the commands deploy/install-tools.sh provides. */
export type ValidationTool = 'docker-compose' | 'kustomize' | 'yaml-to-json';

/** Largest output a tool may print (rendered manifests are a few hundred KB). */
export const MAX_TOOL_OUTPUT_BYTES = 32 * 1024 * 1024;

/** Repository root, from this file's place in deploy/src or deploy/dist. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Folder holding the tools: `$SEXTANT_CACHE_DIR/tools/bin`, by default `~/.cache/sextant/tools/bin`. */
export function toolsBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheDir = env.SEXTANT_CACHE_DIR && env.SEXTANT_CACHE_DIR !== '' ? env.SEXTANT_CACHE_DIR : join(homedir(), '.cache', 'sextant');
  return join(cacheDir, 'tools', 'bin');
}

/** Path of an installed tool; throws, naming the installer, when it is absent or not executable. */
export function requireTool(tool: ValidationTool, env: NodeJS.ProcessEnv = process.env): string {
  const path = join(toolsBinDir(env), tool);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${tool} is not installed at ${path}: run \`bash deploy/install-tools.sh\` first`);
  }
  return path;
}

/** Runs a tool from the repository root and returns its stdout; a non-zero exit throws with its stderr. */
export function runTool(tool: ValidationTool, args: readonly string[], input?: string): string {
  const path = requireTool(tool);
  try {
    return execFileSync(path, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      input,
      maxBuffer: MAX_TOOL_OUTPUT_BYTES,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err: unknown) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`${tool} ${args.join(' ')} failed: ${stderr.trim() || String(err)}`);
  }
}

/** Every YAML document of `text` as data (empty documents dropped). */
export function parseYamlDocuments(text: string): unknown[] {
  return JSON.parse(runTool('yaml-to-json', [], text)) as unknown[];
}
