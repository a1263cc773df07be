import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClickHouseError } from '@clickhouse/client';
import { ClickHouseInsertError, classifyInsertError } from './insert-error';

const chError = (code: number, type: string): Error => new ClickHouseError({ message: `${type} happened`, code: String(code), type });

describe('classifyInsertError', () => {
  it('retries load, timeouts and network trouble', () => {
    assert.equal(classifyInsertError(chError(252, 'TOO_MANY_PARTS')), 'transient');
    assert.equal(classifyInsertError(chError(159, 'TIMEOUT_EXCEEDED')), 'transient');
    assert.equal(classifyInsertError(chError(241, 'MEMORY_LIMIT_EXCEEDED')), 'transient');
    assert.equal(classifyInsertError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 'transient');
    assert.equal(classifyInsertError(new Error('Timeout error.')), 'transient');
  });

  it('blames the rows for parse and type errors', () => {
    assert.equal(classifyInsertError(chError(41, 'CANNOT_PARSE_DATETIME')), 'data');
    assert.equal(classifyInsertError(chError(117, 'INCORRECT_DATA')), 'data');
    assert.equal(classifyInsertError(chError(27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED')), 'data');
  });

  it('blames the rows when one insert spans too many partitions, not when merges lag', () => {
    const spread = new ClickHouseError({ message: 'Too many partitions for single INSERT block (more than 100).', code: '252', type: 'TOO_MANY_PARTS' });
    assert.equal(classifyInsertError(spread), 'data');
    assert.equal(classifyInsertError(chError(252, 'TOO_MANY_PARTS')), 'transient');
  });

  it('treats schema, auth and programming errors as fatal', () => {
    assert.equal(classifyInsertError(chError(60, 'UNKNOWN_TABLE')), 'fatal');
    assert.equal(classifyInsertError(chError(516, 'AUTHENTICATION_FAILED')), 'fatal');
    assert.equal(classifyInsertError(new TypeError('Do not know how to serialize a BigInt')), 'fatal');
  });

  it('wraps the cause with where the rows came from', () => {
    const err = new ClickHouseInsertError('data', 'd.t', 'd.t|t|0|1-2|2', 1, 41, chError(41, 'CANNOT_PARSE_DATETIME'));
    assert.match(err.message, /insert into d\.t \(d\.t\|t\|0\|1-2\|2\) failed \(data\) after 1 attempt\(s\): CANNOT_PARSE_DATETIME happened/);
    assert.ok(err.cause instanceof Error);
  });
});
