/**
 * The ordered list of schema migrations `migrate()` applies. Append new migrations at the end with the next
 * version; never edit or reorder one that has shipped (its checksum is recorded and verified on every start).
 */
import { createOtelLogsMigration } from './0001-create-otel-logs.migration';
import { createSinkStateMigration } from './0002-create-sink-state.migration';
import { dropScopeAttributeIndexesMigration } from './0003-drop-scope-attribute-indexes.migration';
import { createMetricTablesMigration } from './0004-create-metric-tables.migration';
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [createOtelLogsMigration, createSinkStateMigration, dropScopeAttributeIndexesMigration, createMetricTablesMigration];
