import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { binaryInputFormat, mayChangeSession, parseClickHouseRequest, quoteStringLiteral, RequestError, requestSql } from './clickhouse-request';

describe('parseClickHouseRequest', () => {
  it('splits what @clickhouse/client sends into settings, parameters and protocol fields', () => {
    const search = new URLSearchParams([
      ['query_id', 'q1'],
      ['param_tenant', "acme\\'s"],
      ['insert_deduplication_token', 'tok'],
      ['wait_end_of_query', '1'],
      ['enable_http_compression', '1'],
      ['database', 'sextant'],
      ['query', 'INSERT INTO t FORMAT JSONEachRow'],
      ['session_id', 's'],
    ]);
    const r = parseClickHouseRequest('POST', search);
    assert.deepEqual([...r.settings], [['insert_deduplication_token', 'tok']]);
    assert.deepEqual([...r.params], [['tenant', "acme\\'s"]]);
    assert.equal(r.database, 'sextant');
    assert.equal(r.queryId, 'q1');
    assert.equal(r.urlQuery, 'INSERT INTO t FORMAT JSONEachRow');
    assert.equal(r.readonly, false);
    assert.equal(r.compressResponse, true);
    assert.equal(r.defaultFormat, 'TabSeparated');
  });

  it('is read-only for readonly=1 or 2 and for GET', () => {
    assert.equal(parseClickHouseRequest('POST', new URLSearchParams('readonly=1')).readonly, true);
    assert.equal(parseClickHouseRequest('POST', new URLSearchParams('readonly=2')).readonly, true);
    assert.equal(parseClickHouseRequest('GET', new URLSearchParams('query=SELECT+1')).readonly, true);
    assert.equal(parseClickHouseRequest('POST', new URLSearchParams('readonly=0')).readonly, false);
  });

  it('refuses names that could not be settings, databases or formats', () => {
    for (const q of ['max_threads%3D1%3BDROP=1', 'database=a%60b', 'default_format=JSON%20x', 'readonly=3']) {
      assert.throws(() => parseClickHouseRequest('POST', new URLSearchParams(q)), RequestError, q);
    }
  });
});

describe('requestSql', () => {
  it('puts an INSERT statement from the URL before its data from the body', () => {
    assert.equal(requestSql('INSERT INTO t FORMAT TSV', '1\n2\n'), 'INSERT INTO t FORMAT TSV\n1\n2\n');
    assert.equal(requestSql('', 'SELECT 1'), 'SELECT 1');
    assert.equal(requestSql('SELECT 1', ''), 'SELECT 1');
  });
});

describe('quoteStringLiteral', () => {
  it('escapes backslash and quote so the literal ends where it should', () => {
    assert.equal(quoteStringLiteral("a'b\\c"), "'a\\'b\\\\c'");
    assert.equal(quoteStringLiteral("\\'; DROP TABLE t; --"), "'\\\\\\'; DROP TABLE t; --'");
  });
});

describe('binaryInputFormat', () => {
  it('names a binary format an INSERT declares, and nothing for text formats', () => {
    assert.equal(binaryInputFormat('INSERT INTO t FORMAT RowBinary'), 'RowBinary');
    assert.equal(binaryInputFormat('INSERT INTO t (a, b) FORMAT Native '), 'Native');
    assert.equal(binaryInputFormat('INSERT INTO t FORMAT JSONCompactEachRow'), null);
    assert.equal(binaryInputFormat('INSERT INTO t FORMAT TabSeparated'), null);
  });
});

describe('mayChangeSession', () => {
  it('sees SET and USE in the statements, not SETTINGS nor an INSERT body', () => {
    assert.equal(mayChangeSession('', 'SELECT 1; SET max_threads = 1'), true);
    assert.equal(mayChangeSession('', 'use other'), true);
    assert.equal(mayChangeSession('', 'SELECT 1 SETTINGS max_threads = 1'), false);
    assert.equal(mayChangeSession('INSERT INTO t FORMAT TSV', 'INSERT INTO t FORMAT TSV\nSET\tUSE\n'), false);
  });
});
