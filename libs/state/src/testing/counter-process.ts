/**
 * Runs the counter stage (the compiled counter-stage.js) as a child process and follows what it reports on
 * stdout: commits and restores, counted, so a test can wait for "n more commits" before it kills it.
 * Its stderr (logs) and its reports go to a file for post-mortems.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { logTail } from '@sextant/testing';
import { counterEnv, type CounterSettings } from './counter-env';

export interface CounterReport {
  event: string;
  partition?: number;
  keys?: number;
  checkpoint?: string | null;
  nextOffset?: string;
  applied?: number;
}

export class CounterProcess {
  readonly reports: CounterReport[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly settings: CounterSettings,
    readonly logFile: string,
  ) {}

  start(): void {
    const err = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [join(__dirname, 'counter-stage.js')], {
      env: { ...process.env, ...counterEnv(this.settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.pipe(err);
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        err.write(`report: ${line}\n`);
        try {
          this.reports.push(JSON.parse(line) as CounterReport);
        } catch {
          err.write(`unparsed stdout: ${line}\n`);
        }
      });
    }
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  count(event: string): number {
    return this.reports.filter((r) => r.event === event).length;
  }

  /** Waits until the stage reported `event` at least `n` times in all; fails if it exits first. */
  async waitFor(event: string, n: number, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.count(event) < n) {
      if (!this.running) throw new Error(`counter stage exited before ${n} "${event}" reports:\n${this.tail()}`);
      if (Date.now() > until) throw new Error(`counter stage did not report ${n} "${event}" within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(10);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    await this.stop(signal);
  }

  /** Sends `signal` and resolves to the exit code (null when a signal ended it). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (this.running) this.child?.kill(signal);
    return this.exited;
  }

  tail(lines = 30): string {
    return logTail(this.logFile, lines);
  }
}
