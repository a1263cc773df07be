/**
 * The Prometheus registry of one service: process and Node.js runtime metrics, a build-info series, and
 * every metric the libs register (each lib takes this registry and registers its own).
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export type { Registry } from 'prom-client';

export function createMetricsRegistry(stage: string, version: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ stage });
  collectDefaultMetrics({ register: registry, prefix: 'sextant_' });
  const info = new Gauge({ name: 'sextant_build_info', help: 'Always 1; labels tell the version of this process.', labelNames: ['version'], registers: [registry] });
  info.set({ version }, 1);
  return registry;
}
