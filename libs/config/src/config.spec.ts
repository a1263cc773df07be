import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, inVariables, loadConfig, variablesOf } from './config-section';
import { consumerSection, producerSection } from './sections/pipeline.section';
import { kafkaSection, topicsSection } from './sections/kafka.section';
import { ingestSection } from './sections/ingest.section';
import { clickhouseSection } from './sections/clickhouse.section';
import { serviceSection } from './sections/service.section';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({ kafka: kafkaSection('parser'), consumer: consumerSection('parser'), service: serviceSection('parser') }, {});
    assert.deepEqual(c.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(c.kafka.clientId, 'sextant-parser');
    assert.equal(c.kafka.sasl, null);
    assert.equal(c.consumer.groupId, 'sextant-parser');
    assert.equal(c.consumer.fromBeginning, true);
    assert.equal(c.service.httpPort, 8301);
  });

  it('parses typed values from the environment', () => {
    const c = loadConfig(
      { kafka: kafkaSection('x'), producer: producerSection },
      { SEXTANT_KAFKA_BROKERS: 'a:1, b:2', SEXTANT_KAFKA_SSL: 'yes', SEXTANT_KAFKA_SASL_MECHANISM: 'plain', SEXTANT_KAFKA_SASL_USERNAME: 'u', SEXTANT_KAFKA_SASL_PASSWORD: 'p', SEXTANT_PRODUCER_COMPRESSION: 'gzip' },
    );
    assert.deepEqual(c.kafka.brokers, ['a:1', 'b:2']);
    assert.equal(c.kafka.ssl, true);
    assert.deepEqual(c.kafka.sasl, { mechanism: 'plain', username: 'u', password: 'p' });
    assert.equal(c.producer.compression, 'gzip');
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf(() =>
      loadConfig(
        { kafka: kafkaSection('x'), producer: producerSection, service: serviceSection('x') },
        { SEXTANT_HTTP_PORT: 'eighty', SEXTANT_PRODUCER_LINGER_MS: '-1', SEXTANT_PRODUCER_COMPRESSION: 'lz5', SEXTANT_KAFKA_SSL: 'maybe' },
      ),
    );
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /SEXTANT_HTTP_PORT="eighty": must be an integer/);
    assert.match(problems.join('\n'), /SEXTANT_PRODUCER_LINGER_MS="-1": must be >= 0/);
    assert.match(problems.join('\n'), /SEXTANT_PRODUCER_COMPRESSION="lz5": must be one of snappy, gzip, none/);
    assert.match(problems.join('\n'), /SEXTANT_KAFKA_SSL="maybe": must be true or false/);
  });

  it('hides secrets in messages', () => {
    const problems = problemsOf(() => loadConfig({ i: ingestSection }, { SEXTANT_AUTH_ANONYMOUS: 'true', SEXTANT_INGEST_MAX_RECORDS: 'x' }));
    assert.equal(problems.length, 1);
    const p2 = problemsOf(() => loadConfig({ k: kafkaSection('x') }, { SEXTANT_KAFKA_SASL_MECHANISM: 'plain', SEXTANT_KAFKA_SASL_USERNAME: 'u' }));
    assert.match(p2[0] ?? '', /required when SEXTANT_KAFKA_SASL_MECHANISM/);
  });

  it('runs component checks over the complete values, and names variables in their problems', () => {
    const check = (v: { p: { lingerMs: number; sendTimeoutMs: number } }) =>
      inVariables(v.p.sendTimeoutMs > v.p.lingerMs ? [] : ['sendTimeoutMs must be longer than lingerMs (a lingerMs-long wait)'], variablesOf(producerSection));
    const p = problemsOf(() => loadConfig({ p: producerSection }, { SEXTANT_PRODUCER_LINGER_MS: '500', SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '200' }, [check]));
    assert.deepEqual(p, ['SEXTANT_PRODUCER_SEND_TIMEOUT_MS must be longer than SEXTANT_PRODUCER_LINGER_MS (a SEXTANT_PRODUCER_LINGER_MS-long wait)']);
    assert.doesNotThrow(() => loadConfig({ p: producerSection }, {}, [check]));
    // Checks see only complete values: a section problem is reported alone.
    const p2 = problemsOf(() => loadConfig({ p: producerSection }, { SEXTANT_PRODUCER_LINGER_MS: 'x' }, [() => ['never reached']]));
    assert.equal(p2.length, 1);
    assert.match(p2[0] ?? '', /SEXTANT_PRODUCER_LINGER_MS/);
    // Only whole field names are replaced; fields without a variable keep their names.
    assert.deepEqual(inVariables(['tables.logs and logsTable differ; maxRetryBackoffMs'], { 'tables.logs': 'A', logs: 'B' }), ['A and logsTable differ; maxRetryBackoffMs']);
  });

  it('checks cross-field rules', () => {
    const p2 = problemsOf(() => loadConfig({ p: producerSection }, { SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES: '2000000' }));
    assert.match(p2.join(), /SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES must be <= SEXTANT_PRODUCER_MAX_BATCH_BYTES/);
    const p3 = problemsOf(() => loadConfig({ i: ingestSection }, {}));
    assert.match(p3.join(), /SEXTANT_AUTH_ANONYMOUS=true/);
    const p5 = problemsOf(() => loadConfig({ t: topicsSection }, { SEXTANT_TOPIC_PREFIX: 'a b' }));
    assert.match(p5.join(), /SEXTANT_TOPIC_PREFIX/);
  });

  it('rejects a URL that is not one', () => {
    const p = problemsOf(() => loadConfig({ c: clickhouseSection }, { CLICKHOUSE_URL: 'not a url' }));
    assert.match(p.join(), /CLICKHOUSE_URL="not a url": must be a URL/);
  });
});
