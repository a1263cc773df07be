// Series identity: the labels a sample's series key is built from (as metricSeriesKey of @sextant/contracts
// derives job and instance from the resource), and the labels a recording rule keeps.
import { seriesKey, type MetricSample } from '@sextant/contracts';
import type { PreAggregation } from './aggregation.config';

/** Labels of the overflow series of a metric, and nothing else. */
export const OVERFLOW_LABELS: Readonly<Record<string, string>> = Object.freeze({ otel_metric_overflow: 'true' });

/** The labels metricSeriesKey builds the key from: attributes plus job/instance from the resource. */
export function seriesLabelsOf(sample: Pick<MetricSample, 'attributes' | 'resource'>): Record<string, string> {
  const { attributes, resource } = sample;
  const labels: Record<string, string> = {};
  for (const name of Object.keys(attributes)) if (name !== '__name__') labels[name] = attributes[name];
  const service = resource['service.name'];
  const namespace = resource['service.namespace'];
  const instance = resource['service.instance.id'];
  if (service !== undefined && !('job' in attributes)) labels['job'] = namespace ? `${namespace}/${service}` : service;
  if (instance !== undefined && !('instance' in attributes)) labels['instance'] = instance;
  return labels;
}

export function overflowKey(tenant: string, name: string): string {
  return seriesKey(tenant, name, OVERFLOW_LABELS);
}

/** The labels of the aggregate series a rule sums a series into. */
export function keptLabels(rule: PreAggregation, labels: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  if (rule.by !== undefined) {
    for (const name of rule.by) if (name in labels) kept[name] = labels[name];
  } else {
    const dropped = new Set(rule.without ?? []);
    for (const name of Object.keys(labels)) if (!dropped.has(name)) kept[name] = labels[name];
  }
  return kept;
}
