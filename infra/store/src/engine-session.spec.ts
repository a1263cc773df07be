import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseClickHouseRequest } from './clickhouse-request';
import { engineSession, runOnSession, type ChdbQueryResult, type ChdbSession } from './engine-session';

/** A stand-in for a chDB session that keeps settings the way chDB does: SET persists. */
class FakeSession implements ChdbSession {
  readonly log: string[] = [];
  readonly settings = new Map<string, string>([['implicit_select', '1']]);
  database = 'default';

  private result(text: string): ChdbQueryResult {
    const bytes = Buffer.from(text);
    return { elapsed: 0, rowsRead: 1, bytesRead: bytes.length, bytes: () => bytes, text: () => text };
  }

  async queryAsync(query: string): Promise<ChdbQueryResult> {
    this.log.push(query);
    if (query.startsWith('SELECT name, value FROM system.settings')) return this.result([...this.settings].map(([k, v]) => `${k}\t${v}\n`).join(''));
    if (query === 'SELECT currentDatabase()') return this.result(`${this.database}\n`);
    if (query.startsWith('USE ')) this.database = query.slice(4);
    const set = /^SET (.*)$/s.exec(query);
    if (set) {
      for (const part of (set[1] as string).split(', ')) {
        const [name, value] = part.split(' = ') as [string, string];
        if (this.settings.get('readonly') === '1') throw new Error(`Code: 164. DB::Exception: Cannot modify '${name}' setting in readonly mode. (READONLY)`);
        if (value === 'DEFAULT') this.settings.delete(name);
        else this.settings.set(name, value.replace(/^'|'$/g, ''));
      }
    }
    if (query === 'BOOM') throw new Error('Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)');
    return this.result('ok\n');
  }

  async queryBindAsync(query: string, params: object): Promise<ChdbQueryResult> {
    this.log.push(`${query} ${JSON.stringify(params)}`);
    return this.result('bound\n');
  }

  close(): void {}
}

const caps = { maxResultBytes: 1000, maxExecutionSeconds: 5 };

describe('runOnSession', () => {
  it("applies a request's settings and database, then puts the session back as it was", async () => {
    const fake = new FakeSession();
    const s = await engineSession(fake);
    const req = parseClickHouseRequest('POST', new URLSearchParams('insert_deduplication_token=t%27x&database=sextant&implicit_select=0'));
    const out = await runOnSession(s, req, 'INSERT INTO t FORMAT JSONEachRow\n{}', caps);
    assert.equal(out.spoiled, false);
    assert.ok(out.value.ok);
    assert.ok(fake.log.includes("SET insert_deduplication_token = 't\\'x', implicit_select = '0'"));
    assert.deepEqual([...fake.settings], [['implicit_select', '1']]);
    // The next request naming the same database needs no USE; one naming none runs in the default database.
    fake.log.length = 0;
    await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams('database=sextant')), 'SELECT 1', caps);
    assert.equal(fake.log.filter((q) => q.startsWith('USE ')).length, 0);
    await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams()), 'SELECT 2', caps);
    assert.deepEqual(fake.log.filter((q) => q.startsWith('USE ')), ['USE default']);
    assert.equal(fake.database, 'default');
  });

  it("a request's own SET or USE is found and undone too", async () => {
    const fake = new FakeSession();
    const s = await engineSession(fake);
    const out = await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams()), "SET max_threads = '3'", caps);
    assert.equal(out.spoiled, false);
    const use = await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams()), 'USE other', caps);
    assert.equal(use.spoiled, false);
    assert.deepEqual([...fake.settings], [['implicit_select', '1']]);
    // The session is known to be elsewhere now: the next request goes back to the default database first.
    fake.log.length = 0;
    await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams()), 'SELECT 1', caps);
    assert.deepEqual(fake.log.slice(0, 2), ['USE default', 'SELECT 1']);
    assert.equal(fake.database, 'default');
  });

  it('reports a failed query and still resets the session', async () => {
    const fake = new FakeSession();
    const s = await engineSession(fake);
    const out = await runOnSession(s, parseClickHouseRequest('POST', new URLSearchParams('max_threads=1')), 'BOOM', caps);
    assert.equal(out.value.ok, false);
    assert.equal(out.spoiled, false);
    assert.equal(fake.settings.has('max_threads'), false);
  });

  it('a read-only request gets the caps (lowered, never raised), readonly last, and spoils its session', async () => {
    const fake = new FakeSession();
    const s = await engineSession(fake);
    const req = parseClickHouseRequest('POST', new URLSearchParams('readonly=2&max_result_bytes=999999&max_execution_time=2'));
    const out = await runOnSession(s, req, 'SELECT 1', caps);
    assert.equal(out.spoiled, true);
    const sets = fake.log.filter((q) => q.startsWith('SET '));
    assert.deepEqual(sets, ["SET max_result_bytes = '1000', max_execution_time = '2'", "SET readonly = '1'"]);
  });

  it('binds parameters through the engine, never into the SQL text', async () => {
    const fake = new FakeSession();
    const s = await engineSession(fake);
    const req = parseClickHouseRequest('POST', new URLSearchParams("param_t=a%5C'b"));
    await runOnSession(s, req, 'SELECT {t:String}', caps);
    assert.ok(fake.log.includes('SELECT {t:String} {"t":"a\'b"}'));
  });
});
