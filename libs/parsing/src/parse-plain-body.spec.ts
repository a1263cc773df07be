import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectLeadingLevel, parsePlainBody } from './parse-plain-body';
import { rawRecord } from './testdata/log-record.fixture';

describe('parsePlainBody', () => {
  it('trims trailing line terminators only, flags plain', () => {
    const outcome = parsePlainBody(rawRecord('  indented line \t\r\n\n'));
    assert.deepEqual(outcome, {
      status: 'parsed',
      record: rawRecord('  indented line \t', { parseFlags: ['plain'] }),
    });
  });

  it('sets severity from a leading level token when the record has none', () => {
    const outcome = parsePlainBody(rawRecord('[WARN] slow query\n'));
    assert.equal(outcome.status, 'parsed');
    if (outcome.status !== 'parsed') return;
    assert.deepEqual([outcome.record.severityText, outcome.record.severityNumber, outcome.record.body], ['WARN', 13, '[WARN] slow query']);
  });

  it('keeps the severity a record already has', () => {
    const outcome = parsePlainBody(rawRecord('ERROR boom', { severityNumber: 9, severityText: 'INFO' }));
    assert.ok(outcome.status === 'parsed');
    assert.deepEqual([outcome.record.severityText, outcome.record.severityNumber], ['INFO', 9]);
    const textOnly = parsePlainBody(rawRecord('ERROR boom', { severityText: 'custom' }));
    assert.ok(textOnly.status === 'parsed');
    assert.deepEqual([textOnly.record.severityText, textOnly.record.severityNumber], ['custom', 0]);
  });
});

describe('detectLeadingLevel', () => {
  it('reads the common spellings of a leading level', () => {
    const cases: [string, string, number][] = [
      ['ERROR connection refused', 'ERROR', 17],
      ['WARN: disk at 91%', 'WARN', 13],
      ['INFO', 'INFO', 9],
      ['INFO[0000] Starting server', 'INFO', 9],
      ['[warn] deprecated flag', 'warn', 13],
      ['[Debug]x', 'Debug', 5],
      ['error: could not open file', 'error', 17],
      ['level=info msg="started"', 'info', 9],
      ['lvl=dbg msg=x', 'dbg', 5],
      ['LEVEL="error" msg=x', 'error', 17],
      ['severity=critical', 'critical', 21],
      ['2024-05-01T12:00:00.123Z ERROR boom', 'ERROR', 17],
      ['2024-05-01 12:00:00,123 WARNING [main] x', 'WARNING', 13],
      ['  FATAL out of memory', 'FATAL', 21],
      ['PANIC: stack overflow', 'PANIC', 21],
      ['TRACE enter', 'TRACE', 1],
    ];
    for (const [line, text, number] of cases) assert.deepEqual(detectLeadingLevel(line), { text, number }, line);
  });

  it('finds nothing in ordinary sentences or unknown tokens', () => {
    for (const line of [
      'Error handling is hard',
      'info about the cache',
      'ERRORS: 3',
      'GET /healthz 200',
      'request failed with ERROR',
      '[main] ERROR x',
      'level=unknown msg=x',
      'levelx=info',
      '',
    ]) {
      assert.equal(detectLeadingLevel(line), undefined, line);
    }
  });
});
