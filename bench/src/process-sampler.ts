/**
 * Samples CPU time and resident memory of processes from /proc (Linux): CPU (user + system) over the sampled
 * interval, both as seconds and as a share of one core, and memory as the peak RSS seen.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@sextant/testing';

const CLOCK_TICKS = 100;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The pid of the process listening on a local TCP port, from /proc/net/tcp{,6} and the owners' socket fds. */
export function pidListeningOn(port: number): number | undefined {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address:port, f[3] state (0A = LISTEN), f[9] socket inode
      if (f[1]?.endsWith(hexPort) && f[3] === '0A' && f[9]) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}

/** Pids of the infrastructure started by infra/start.sh (Kafka, registry, Redis), from its pid files. */
export function infraPids(): Map<string, number> {
  const pids = new Map<string, number>();
  const run = join(process.env['SEXTANT_HOME'] ?? join(REPO_ROOT, '.sextant'), 'run');
  for (const name of ['kafka', 'registry', 'redis']) {
    try {
      pids.set(name, Number(readFileSync(join(run, `${name}.pid`), 'utf8').trim()));
    } catch {
      // not started by infra/start.sh
    }
  }
  return pids;
}

export interface ProcessUsage {
  name: string;
  /** CPU seconds (user + system) spent during the interval; NaN when the process is gone. */
  cpuSeconds: number;
  /** Cores used on average over the interval, to two decimals. */
  cpuCores: number;
  peakRssMiB: number;
}

export class ProcessSampler {
  private readonly start = new Map<string, { cpu: number; at: number }>();
  private readonly peakRss = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: Map<string, number>) {}

  begin(): void {
    for (const [name, pid] of this.pids) this.start.set(name, { cpu: cpuSeconds(pid), at: Date.now() });
    this.timer = setInterval(() => this.sampleRss(), 500);
  }

  private sampleRss(): void {
    for (const [name, pid] of this.pids) {
      try {
        this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, rssBytes(pid)));
      } catch {
        // process gone
      }
    }
  }

  end(): ProcessUsage[] {
    if (this.timer) clearInterval(this.timer);
    this.sampleRss();
    return [...this.pids].map(([name, pid]) => {
      const s = this.start.get(name);
      let cpu = 0;
      try {
        cpu = s ? cpuSeconds(pid) - s.cpu : 0;
      } catch {
        cpu = Number.NaN;
      }
      const seconds = s ? (Date.now() - s.at) / 1000 : 1;
      return { name, cpuSeconds: cpu, cpuCores: Math.round((cpu / seconds) * 100) / 100, peakRssMiB: Math.round((this.peakRss.get(name) ?? 0) / 1048576) };
    });
  }
}
