/**
 * Migration 3: drops the two bloom filters on `ScopeAttributes`. Sextant's `LogRecord` carries no scope
 * attributes, so the column is always an empty map and the indexes can never prune a granule. The
 * insert-formats benchmark prices the skip indexes (engine CPU per row, 20k-row inserts): none 14.0 µs,
 * migration 1's ten 19.3 µs, the remaining eight 19.6 µs (the same within noise: empty maps hash nothing),
 * merges 7.3 → 8.1 µs per row per level. The eight that stay answer the README's queries (trace id,
 * attribute and label filters, body tokens); each alone costs under the noise (~1 µs).
 */
import type { Migration } from './migration';

export const dropScopeAttributeIndexesMigration: Migration = {
  version: 3,
  name: 'drop_scope_attribute_indexes',
  up: (ctx) => [
    `ALTER TABLE ${ctx.tables.logs} DROP INDEX IF EXISTS idx_scope_attr_key`,
    `ALTER TABLE ${ctx.tables.logs} DROP INDEX IF EXISTS idx_scope_attr_value`,
  ],
};
