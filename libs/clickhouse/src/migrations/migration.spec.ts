import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClickHouseConfig } from '../clickhouse.config';
import { assertMigrationSequence, migrationChecksum, migrationContext, type Migration } from './migration';
import { MIGRATIONS } from './migration-sequence';
import { LOGS_DEDUPLICATION_WINDOW } from './0001-create-otel-logs.migration';

const first = MIGRATIONS[0] as Migration;

describe('migrations', () => {
  it('form a valid sequence starting at 1', () => {
    assertMigrationSequence(MIGRATIONS);
    assert.equal(first.version, 1);
  });

  it('substitute the configured, quoted names', () => {
    const ctx = migrationContext({ ...defaultClickHouseConfig(), database: 'obs', tables: { logs: 'my_logs', migrations: 'mig', sinkState: 'st' }, logsTtlDays: 7 });
    const sql = first.up(ctx).join('\n');
    assert.match(sql, /CREATE DATABASE IF NOT EXISTS `obs`/);
    assert.match(sql, /CREATE TABLE IF NOT EXISTS `obs`\.`my_logs`/);
    assert.match(sql, /TTL TimestampTime \+ toIntervalDay\(7\)/);
    assert.match(sql, new RegExp(`non_replicated_deduplication_window = ${LOGS_DEDUPLICATION_WINDOW}`));
    assert.doesNotMatch(sql, /sextant|otel_logs/);
  });

  it('refuse to build a context from names that are not identifiers', () => {
    assert.throws(() => migrationContext({ ...defaultClickHouseConfig(), database: 'a`; DROP DATABASE b; --' }), /database must be a plain identifier/);
  });

  it('are idempotent statement by statement (safe when two processes race)', () => {
    for (const m of MIGRATIONS) {
      for (const statement of m.up(migrationContext(defaultClickHouseConfig()))) {
        if (/^\s*(CREATE|DROP)\b/i.test(statement) || /\b(ADD|DROP) (COLUMN|INDEX)\b/i.test(statement)) {
          assert.match(statement, /\bIF (NOT )?EXISTS\b/i, `migration ${m.version} statement is not idempotent: ${statement.slice(0, 80)}`);
        }
      }
    }
  });

  it('have a checksum that tracks the SQL and the name', () => {
    const checksum = migrationChecksum(first);
    assert.match(checksum, /^[0-9a-f]{64}$/);
    const edited: Migration = { ...first, up: (ctx) => [...first.up(ctx), `SELECT 1`] };
    assert.notEqual(migrationChecksum(edited), checksum);
    assert.notEqual(migrationChecksum({ ...first, name: 'renamed' }), checksum);
    assert.equal(migrationChecksum({ ...first }), checksum);
  });

  it('reject sequences out of order, duplicated or badly named', () => {
    const m = (version: number, name = 'x'): Migration => ({ version, name, up: () => [] });
    assert.throws(() => assertMigrationSequence([m(1), m(1)]), /ascending/);
    assert.throws(() => assertMigrationSequence([m(2), m(1)]), /ascending/);
    assert.throws(() => assertMigrationSequence([m(0)]), /ascending/);
    assert.throws(() => assertMigrationSequence([m(1, 'Bad Name')]), /snake_case/);
  });
});
