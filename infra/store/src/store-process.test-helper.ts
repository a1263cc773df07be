/**
 * For integration tests: runs the built store (`dist/main.js`) as a child process on a free port and a data
 * directory of the test's choosing, waits until /readyz answers, and stops it by signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@sextant/testing';

export interface StoreProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Sends `signal` and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

export async function startStore(dataDir: string, env: Record<string, string> = {}, port?: number): Promise<StoreProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [join(__dirname, 'main.js')], {
    env: { ...process.env, SEXTANT_STORE_PORT: String(chosen), SEXTANT_STORE_PATH: dataDir, SEXTANT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`store exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`store not ready within 30 s: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: chosen,
    child,
    stop: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    output: () => out,
  };
}
