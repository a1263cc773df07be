import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { logRecordContractViolation } from './log-record-contract';
import { SAMPLE_LOG_RECORD } from './testdata/sample-records';

describe('logRecordContractViolation', () => {
  it('accepts a well-formed record, with or without trace context', () => {
    assert.equal(logRecordContractViolation(SAMPLE_LOG_RECORD), null);
    assert.equal(logRecordContractViolation({ ...SAMPLE_LOG_RECORD, traceId: '', spanId: '' }), null);
  });

  it('names what is wrong: no tenant, malformed trace or span id', () => {
    assert.match(logRecordContractViolation({ ...SAMPLE_LOG_RECORD, tenant: '' }) ?? '', /no tenant/);
    assert.match(logRecordContractViolation({ ...SAMPLE_LOG_RECORD, traceId: 'ABCDEF' }) ?? '', /traceId "ABCDEF" is not 32 lowercase hex/);
    assert.match(logRecordContractViolation({ ...SAMPLE_LOG_RECORD, traceId: '5B8EFFF798038103D269B633813FC60C' }) ?? '', /traceId/);
    assert.match(logRecordContractViolation({ ...SAMPLE_LOG_RECORD, spanId: 'eee19b7ec3c1b17' }) ?? '', /spanId/);
  });
});
