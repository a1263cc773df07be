/** The identity of a series within one target: its sorted label set as text. */
import type { Label } from '@sextant/exposition';

/** `name="value",…` of sorted labels; equal for equal label sets. */
export function seriesKeyOf(labels: readonly Label[]): string {
  return labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',');
}
