/**
 * Samples CPU time and resident memory of processes from /proc (Linux): CPU as a share of one core over the
 * sampled interval, memory as the peak RSS seen.
 */
import { readFileSync } from 'node:fs';

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

  end(): { name: string; cpuCores: number; peakRssMiB: number }[] {
    if (this.timer) clearInterval(this.timer);
    this.sampleRss();
    return [...this.pids].map(([name, pid]) => {
      const s = this.start.get(name);
      let cpu = 0;
      try {
        cpu = s ? (cpuSeconds(pid) - s.cpu) / ((Date.now() - s.at) / 1000) : 0;
      } catch {
        cpu = Number.NaN;
      }
      return { name, cpuCores: Math.round(cpu * 100) / 100, peakRssMiB: Math.round((this.peakRss.get(name) ?? 0) / 1048576) };
    });
  }
}
