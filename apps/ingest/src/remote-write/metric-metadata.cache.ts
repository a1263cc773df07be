/**
 * Remote-write metadata kept between requests: Prometheus 1.0 senders send each family's type, help and unit in
 * requests of their own, every metadata send interval, so a sample is typed from what an earlier request said.
 * Per tenant and family, bounded by SEXTANT_INGEST_METADATA_CACHE_ENTRIES (least recently used out first), with
 * its size and evictions as metrics. Per replica: a replica that has not yet been sent a family's metadata
 * types its samples as gauges (unknown) until the sender's next metadata round reaches it.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { MetricMetadata } from '@sextant/remote-write';
import { METRICS_REGISTRY } from '@sextant/telemetry';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';

@Injectable()
export class MetricMetadataCache {
  private readonly entries = new Map<string, MetricMetadata>();
  private readonly limit: number;
  private readonly size: Gauge;
  private readonly evictions: Counter;

  constructor(@Inject(INGEST_SETTINGS) settings: IngestStageSettings, @Inject(METRICS_REGISTRY) registry: Registry) {
    this.limit = settings.ingest.metadataCacheEntries;
    this.size = new Gauge({ name: 'sextant_ingest_metadata_cache_entries', help: 'Metric families whose remote-write metadata this replica keeps.', registers: [registry] });
    this.evictions = new Counter({ name: 'sextant_ingest_metadata_cache_evictions_total', help: 'Families dropped from the remote-write metadata cache to stay within its limit.', registers: [registry] });
  }

  /** Keeps what a request said about its families. */
  remember(tenant: string, metadata: ReadonlyMap<string, MetricMetadata>): void {
    for (const [family, meta] of metadata) {
      const key = `${tenant}\u0000${family}`;
      this.entries.delete(key);
      this.entries.set(key, meta);
    }
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
      this.evictions.inc();
    }
    this.size.set(this.entries.size);
  }

  /** What is known of a family of `tenant`, marking it recently used. */
  lookup(tenant: string, family: string): MetricMetadata | undefined {
    const key = `${tenant}\u0000${family}`;
    const meta = this.entries.get(key);
    if (meta !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, meta);
    }
    return meta;
  }
}
