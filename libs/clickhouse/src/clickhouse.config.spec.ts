import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClickHouseConfigError,
  DEFAULT_LOGS_TABLE,
  defaultClickHouseConfig,
  isEmbeddedClickHouse,
  resolveClickHouseConfig,
  validateClickHouseConfig,
  type ClickHouseConfig,
} from './clickhouse.config';

function problemsOf(config: ClickHouseConfig): readonly string[] {
  try {
    validateClickHouseConfig(config);
    return [];
  } catch (err: unknown) {
    assert.ok(err instanceof ClickHouseConfigError);
    return err.problems;
  }
}

function withChanges(changes: Partial<ClickHouseConfig>): ClickHouseConfig {
  return { ...defaultClickHouseConfig(), ...changes };
}

describe('ClickHouseConfig', () => {
  it('defaults to a valid embedded store with the documented values', () => {
    const config = defaultClickHouseConfig();
    assert.deepEqual(problemsOf(config), []);
    assert.equal(isEmbeddedClickHouse(config), true);
    assert.equal(config.database, 'sextant');
    assert.equal(config.tables.logs, 'otel_logs');
    assert.equal(config.logsTtlDays, 30);
    assert.equal(config.maxBatchRows, 10_000);
    assert.equal(config.flushIntervalMs, 1000);
  });

  it('accepts a server url with mutual TLS', () => {
    const config = withChanges({ url: 'https://ch.example:8443', tls: { caPath: '/ca.pem', certPath: '/c.pem', keyPath: '/k.pem' } });
    assert.deepEqual(problemsOf(config), []);
    assert.equal(isEmbeddedClickHouse(config), false);
  });

  it('merges partial overrides, including partial table names, and validates them', () => {
    const config = resolveClickHouseConfig({ database: 'obs', tables: { migrations: 'obs_migrations' } });
    assert.equal(config.database, 'obs');
    assert.equal(config.tables.logs, DEFAULT_LOGS_TABLE);
    assert.equal(config.tables.migrations, 'obs_migrations');
    assert.throws(() => resolveClickHouseConfig({ maxBatchRows: 0 }), /maxBatchRows/);
  });

  it('refuses an embedded store without a path, and TLS without a server', () => {
    const problems = problemsOf(withChanges({ path: ' ', tls: { caPath: '/ca.pem', certPath: '', keyPath: '' } }));
    assert.equal(problems.length, 2);
    assert.match(problems.join('\n'), /path must name a data directory/);
    assert.match(problems.join('\n'), /tls applies to a server url only/);
  });

  it('refuses malformed urls, non-http schemes and credentials in the url', () => {
    assert.match(problemsOf(withChanges({ url: 'not a url' })).join(), /not a valid URL/);
    assert.match(problemsOf(withChanges({ url: 'tcp://ch:9000' })).join(), /http:\/\/ or https:\/\//);
    assert.match(problemsOf(withChanges({ url: 'http://u:p@ch:8123' })).join(), /must not carry credentials/);
  });

  it('refuses TLS on plain http, a missing CA, and half a client certificate', () => {
    const problems = problemsOf(withChanges({ url: 'http://ch:8123', tls: { caPath: '', certPath: '/c.pem', keyPath: '' } })).join('\n');
    assert.match(problems, /url is not https/);
    assert.match(problems, /caPath is required/);
    assert.match(problems, /certPath and tls.keyPath must be set together/);
  });

  it('refuses names that are not plain identifiers, so no text reaches DDL', () => {
    const problems = problemsOf(withChanges({ database: 'x; DROP TABLE y', tables: { logs: 'logs`', migrations: 'm', sinkState: 's' } })).join('\n');
    assert.match(problems, /database must be a plain identifier/);
    assert.match(problems, /tables\.logs must be a plain identifier/);
    assert.match(problemsOf(withChanges({ tables: { logs: 'same', migrations: 'same', sinkState: 'other' } })).join(), /must differ/);
  });

  it('refuses non-integer and out-of-range numbers', () => {
    const problems = problemsOf(
      withChanges({ logsTtlDays: 0, maxBatchBytes: 1.5, insertMaxAttempts: 1000, requestTimeoutMs: Number.NaN }),
    ).join('\n');
    for (const field of ['logsTtlDays', 'maxBatchBytes', 'insertMaxAttempts', 'requestTimeoutMs']) assert.match(problems, new RegExp(field));
  });

  it('checks cross-field rules: retry cap >= base, flush interval < request timeout', () => {
    const problems = problemsOf(withChanges({ insertRetryBaseMs: 1000, insertRetryMaxMs: 100, flushIntervalMs: 30_000, requestTimeoutMs: 30_000 }));
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /insertRetryMaxMs \(100\) must be >= insertRetryBaseMs \(1000\)/);
    assert.match(problems[1] ?? '', /flushIntervalMs \(30000\) must be shorter than requestTimeoutMs/);
  });

  it('names every problem in the error message', () => {
    assert.throws(
      () => validateClickHouseConfig(withChanges({ database: '', maxBatchRows: -1 })),
      (err: unknown) => err instanceof ClickHouseConfigError && /database/.test(err.message) && /maxBatchRows/.test(err.message),
    );
  });
});
