/** Kubernetes label selectors (`matchLabels` and `matchExpressions`), as the API server evaluates them. */
import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * Whether `labels` satisfy `selector`: every `matchLabels` pair and every expression (`In`, `NotIn`, `Exists`,
 * `DoesNotExist`). An empty selector selects everything; an absent one nothing (as a monitor without
 * selector selects nothing useful, the operator requires one). An unknown operator selects nothing.
 */
export function labelsMatch(selector: V1LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector === undefined) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = have[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
