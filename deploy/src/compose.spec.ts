import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeProblems, type ComposeConfig } from './compose-rules';
import { COMPOSE_EXPECTATIONS, STAGES } from './deployment-expectations';
import { isPinnedImage } from './pinned-image';
import { renderCompose, validateCompose } from './render-manifests';

const clone = (c: ComposeConfig): ComposeConfig => structuredClone(c);

describe('docker-compose.yml', () => {
  let config: ComposeConfig;

  before(() => {
    validateCompose();
    config = renderCompose();
  });

  it('passes `docker-compose config -q`', () => {
    validateCompose();
  });

  it('keeps every rule', () => {
    assert.deepEqual(composeProblems(config, COMPOSE_EXPECTATIONS), []);
  });

  it('runs Kafka 4 (KRaft), Confluent Schema Registry, Redis 7 and a ClickHouse server from pinned images', () => {
    const images = Object.fromEntries(Object.entries(config.services ?? {}).map(([name, s]) => [name, s.image ?? '']));
    assert.match(images.kafka, /^apache\/kafka:4\.\d+\.\d+$/);
    assert.match(images['schema-registry'], /^confluentinc\/cp-schema-registry:(7\.9|8)\.\d+\.\d+$/);
    assert.match(images.redis, /^redis:7\.\d+\.\d+$/);
    assert.match(images.clickhouse, /^clickhouse\/clickhouse-server:\d+\.\d+\.\d+\.\d+$/);
    for (const [name, image] of Object.entries(images)) assert.ok(isPinnedImage(image), `${name}: ${image}`);
  });

  it('gives each app the HTTP port its probes and Kubernetes use', () => {
    for (const { stage, adminPort } of STAGES) {
      const service = config.services?.[stage];
      assert.equal(service?.environment?.SEXTANT_HTTP_PORT, String(adminPort), stage);
      const test = service?.healthcheck?.test;
      assert.ok(Array.isArray(test) && test.join(' ').includes(`:${adminPort}/healthz`), `${stage} healthcheck: ${JSON.stringify(test)}`);
    }
  });

  it('points the apps at the compose services, the registry at its root', () => {
    const env = config.services?.parser?.environment ?? {};
    assert.equal(env.SEXTANT_KAFKA_BROKERS, 'kafka:19092');
    assert.equal(env.SEXTANT_SCHEMA_REGISTRY_URL, 'http://schema-registry:8081');
    assert.equal(env.CLICKHOUSE_URL, 'http://clickhouse:8123');
    assert.equal(env.CLICKHOUSE_USER, config.services?.clickhouse?.environment?.CLICKHOUSE_USER);
    assert.equal(env.CLICKHOUSE_PASSWORD, config.services?.clickhouse?.environment?.CLICKHOUSE_PASSWORD);
  });

  it('advertises a Kafka listener for the compose network and one for the host', () => {
    const env = config.services?.kafka?.environment ?? {};
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.match(env.KAFKA_ADVERTISED_LISTENERS ?? '', /\/\/kafka:19092/);
    assert.match(env.KAFKA_ADVERTISED_LISTENERS ?? '', /\/\/localhost:9092/);
  });

  describe('the rules catch', () => {
    it('a service without a healthcheck', () => {
      const c = clone(config);
      delete c.services!.redis.healthcheck;
      assert.ok(composeProblems(c, COMPOSE_EXPECTATIONS).includes('redis: has no healthcheck'));
    });
    it('an unpinned image', () => {
      const c = clone(config);
      c.services!.kafka.image = 'apache/kafka:latest';
      assert.ok(composeProblems(c, COMPOSE_EXPECTATIONS).some((p) => p.startsWith("kafka: image 'apache/kafka:latest' is not pinned")));
    });
    it('an app that starts before its infrastructure is healthy', () => {
      const c = clone(config);
      const deps = c.services!.sink.depends_on as Record<string, { condition?: string }>;
      deps.clickhouse = { condition: 'service_started' };
      assert.ok(composeProblems(c, COMPOSE_EXPECTATIONS).some((p) => p.startsWith('sink: does not wait for clickhouse')));
    });
    it("the Apicurio path on Confluent's registry", () => {
      const c = clone(config);
      c.services!.ingest.environment!.SEXTANT_SCHEMA_REGISTRY_URL = 'http://schema-registry:8081/apis/ccompat/v7';
      assert.ok(composeProblems(c, COMPOSE_EXPECTATIONS).some((p) => p.includes("Apicurio's ccompat path")));
    });
    it('stateful data outside a named volume', () => {
      const c = clone(config);
      c.services!.clickhouse.volumes = [];
      assert.ok(composeProblems(c, COMPOSE_EXPECTATIONS).includes('clickhouse: keeps its data in no named volume'));
    });
  });

  it('`docker-compose config -q` rejects an invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sextant-compose-'));
    try {
      const file = join(dir, 'docker-compose.yml');
      writeFileSync(file, 'services:\n  x:\n    image: redis:7.4.6\n    helthcheck:\n      test: ["CMD", "true"]\n');
      assert.throws(() => validateCompose(file), /Unsupported config option for services\.x: 'helthcheck'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
