import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { IngestStageSettings } from '../ingest.config';
import { MetricMetadataCache } from './metric-metadata.cache';

function cache(limit: number): { cache: MetricMetadataCache; registry: Registry } {
  const registry = new Registry();
  const settings = { ingest: { metadataCacheEntries: limit } } as IngestStageSettings;
  return { cache: new MetricMetadataCache(settings, registry), registry };
}

const counter = { type: 'counter' as const, help: 'h', unit: '' };
const gauge = { type: 'gauge' as const, help: '', unit: 'bytes' };

async function value(registry: Registry, name: string): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values[0]?.value ?? Number.NaN;
}

describe('MetricMetadataCache', () => {
  it('keeps metadata per tenant, the latest statement of a family winning', () => {
    const { cache: c } = cache(10);
    c.remember('a', new Map([['jobs_total', counter]]));
    c.remember('b', new Map([['jobs_total', gauge]]));
    assert.equal(c.lookup('a', 'jobs_total'), counter);
    assert.equal(c.lookup('b', 'jobs_total'), gauge);
    assert.equal(c.lookup('c', 'jobs_total'), undefined);
    c.remember('a', new Map([['jobs_total', gauge]]));
    assert.equal(c.lookup('a', 'jobs_total'), gauge);
  });

  it('stays within its limit, dropping the least recently used family, and counts what it drops', async () => {
    const { cache: c, registry } = cache(2);
    c.remember('t', new Map([['one', counter], ['two', counter]]));
    c.lookup('t', 'one');
    c.remember('t', new Map([['three', gauge]]));
    assert.equal(c.lookup('t', 'two'), undefined, 'least recently used goes first');
    assert.equal(c.lookup('t', 'one'), counter);
    assert.equal(c.lookup('t', 'three'), gauge);
    assert.equal(await value(registry, 'sextant_ingest_metadata_cache_entries'), 2);
    assert.equal(await value(registry, 'sextant_ingest_metadata_cache_evictions_total'), 1);
  });
});
