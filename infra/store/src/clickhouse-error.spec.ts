import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClickHouseError, parseError } from '@clickhouse/client-common';
import { errorAnswer, errorAnswerOf } from './clickhouse-error';

describe('error answers', () => {
  it("keep the engine's code where the client's parser finds it", () => {
    const a = errorAnswerOf(new Error("Code: 27. DB::Exception: Cannot parse input: expected '\"' before: 'zz': (at row 1)\n: While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)"));
    assert.equal(a.status, 400);
    assert.equal(a.code, 27);
    const parsed = parseError(a.body);
    assert.ok(parsed instanceof ClickHouseError);
    assert.equal(parsed.code, '27');
    assert.equal(parsed.type, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED');
  });

  it('map read-only refusals to 403, missing tables to 404, overload to 503', () => {
    assert.equal(errorAnswerOf(new Error('Code: 164. DB::Exception: default: Cannot execute query in readonly mode. (READONLY)')).status, 403);
    assert.equal(errorAnswerOf(new Error('Code: 60. DB::Exception: Unknown table expression identifier. (UNKNOWN_TABLE)')).status, 404);
    assert.equal(errorAnswer(202, 'TOO_MANY_SIMULTANEOUS_QUERIES', 'busy').status, 503);
  });

  it('wrap an error without a code under 1001, still parseable', () => {
    const a = errorAnswerOf(new TypeError('boom'));
    assert.equal(a.status, 500);
    const parsed = parseError(a.body);
    assert.ok(parsed instanceof ClickHouseError);
    assert.equal(parsed.code, '1001');
    assert.equal(parsed.message.trim(), 'boom.');
  });
});
