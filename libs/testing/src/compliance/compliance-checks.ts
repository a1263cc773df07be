/**
 * The judgements the compliance cases share: every produced id's effect exactly once and nothing else
 * (waited for, then looked at again, so a late duplicate fails too), and a group that has committed its
 * whole input.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComplianceRig } from './compliance-subject';

/** How long the effects are watched once complete, for duplicates that come late (a redelivery after a kill). */
const SETTLE_MS = 2000;

export function idsFor(tag: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${tag}-${from + i}`);
}

export async function waitFor<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await fn();
      if (ok(last)) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms (last value ${describe(last)}, last error ${String(lastErr)})`);
    await sleep(250);
  }
}

function describe(v: unknown): string {
  if (v instanceof Map) return `a map of ${v.size}`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'undefined';
}

/** Ids whose effect is missing, seen more than once, or never produced. */
export function discrepancies(effects: Map<string, number>, ids: readonly string[]): { missing: string[]; duplicated: string[]; unknown: string[] } {
  const expected = new Set(ids);
  const missing = ids.filter((id) => !effects.has(id));
  const duplicated = [...effects].filter(([id, n]) => expected.has(id) && n > 1).map(([id]) => id);
  const unknown = [...effects.keys()].filter((id) => !expected.has(id));
  return { missing, duplicated, unknown };
}

/** Waits until every id has its effect, then asserts exactly one each and none that was never produced. */
export async function assertExactlyOnce(rig: ComplianceRig, ids: readonly string[], timeoutMs = 90_000, context = ''): Promise<void> {
  await waitFor(`every effect of ${ids.length} records${context}`, () => rig.effects(), (e) => discrepancies(e, ids).missing.length === 0, timeoutMs);
  await sleep(SETTLE_MS);
  const d = discrepancies(await rig.effects(), ids);
  const sample = (xs: string[]): string => `${xs.length}${xs.length > 0 ? ` (${xs.slice(0, 5).join(', ')}…)` : ''}`;
  if (d.duplicated.length > 0 && rig.whereIs) console.log(`duplicated${context}: ${await rig.whereIs(d.duplicated.slice(0, 5))}`);
  assert.deepEqual(
    { missing: d.missing.length, duplicated: d.duplicated.length, unknown: d.unknown.length },
    { missing: 0, duplicated: 0, unknown: 0 },
    `every record's effect exactly once${context}: missing ${sample(d.missing)}, duplicated ${sample(d.duplicated)}, unknown ${sample(d.unknown)}`,
  );
  if (rig.identities) {
    const t = await rig.identities();
    assert.deepEqual(t, { rows: ids.length, distinct: ids.length }, `one row per (topic, partition, offset, index)${context}`);
  }
}

/** Waits until the group's committed offset is the end of every input partition. */
export async function waitCommittedToEnd(rig: ComplianceRig, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    'the group committed its whole input',
    () => rig.offsets(),
    ({ committed, ends }) => [...ends].every(([p, end]) => (committed.get(p) ?? -1n) === end || end === 0n),
    timeoutMs,
  );
}
