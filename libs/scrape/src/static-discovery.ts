/** Discovery of the targets a configuration file lists in `static_configs`: one snapshot per (re)load. */
import { readFile } from 'node:fs/promises';
import type { Discovery, TargetSnapshot } from './discovery';
import { parseScrapeConfig, staticTargets, type ScrapeConfigFile } from './static-config';

/** `TargetSnapshot.source` of static targets. */
export const STATIC_SOURCE = 'static';

/** Reads and validates a configuration file. Throws ScrapeConfigError (or the read error). */
export async function loadScrapeConfigFile(path: string): Promise<ScrapeConfigFile> {
  return parseScrapeConfig(await readFile(path, 'utf8'));
}

export class StaticDiscovery implements Discovery {
  private onSnapshot: ((snapshot: TargetSnapshot) => void) | undefined;

  /** `source` names its snapshots: two static discoveries on one manager need different ones. */
  constructor(
    private config: ScrapeConfigFile,
    private readonly source: string = STATIC_SOURCE,
  ) {}

  async start(onSnapshot: (snapshot: TargetSnapshot) => void): Promise<void> {
    this.onSnapshot = onSnapshot;
    this.emit();
  }

  /** Replaces the configuration (a reload) and delivers its snapshot. */
  update(config: ScrapeConfigFile): void {
    this.config = config;
    this.emit();
  }

  async stop(): Promise<void> {
    this.onSnapshot = undefined;
  }

  private emit(): void {
    this.onSnapshot?.({ source: this.source, targets: staticTargets(this.config) });
  }
}
