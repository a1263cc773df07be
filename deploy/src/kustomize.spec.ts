import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K8S_EXPECTATIONS, STAGES } from './deployment-expectations';
import { type Container, type DeploymentSpec, type K8sObject, ofKind } from './k8s-objects';
import { k8sProblems, namespaceProblems } from './k8s-rules';
import { renderKustomization, renderWithComponents } from './render-manifests';

const containerOf = (objects: K8sObject[], name: string): Container => {
  const deployment = ofKind<DeploymentSpec>(objects, 'Deployment').find((d) => d.metadata?.name === name);
  const container = deployment?.spec?.template?.spec?.containers?.[0];
  assert.ok(container, `no container in Deployment ${name}`);
  return container;
};
/**
 * ingest refuses to start without SEXTANT_AUTH_TOKENS_FILE unless anonymous requests are allowed: the file must
 * be mounted from a Secret that the same render contains.
 */
const ingestAuthProblem = (objects: K8sObject[]): string | null => {
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name?.startsWith('sextant-config'));
  if (config?.data?.SEXTANT_AUTH_ANONYMOUS === 'true') return null;
  const deployment = ofKind<DeploymentSpec>(objects, 'Deployment').find((d) => d.metadata?.name === 'sextant-ingest');
  const pod = deployment?.spec?.template?.spec;
  const container = pod?.containers?.[0];
  const file = container?.env?.find((e) => e.name === 'SEXTANT_AUTH_TOKENS_FILE')?.value;
  if (file === undefined) return 'ingest: neither anonymous nor SEXTANT_AUTH_TOKENS_FILE';
  const mount = container?.volumeMounts?.find((m) => m.mountPath !== undefined && file.startsWith(`${m.mountPath}/`));
  const secretName = pod?.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
  if (secretName === undefined) return `ingest: ${file} is not on a volume mounted from a Secret`;
  return objects.some((o) => o.kind === 'Secret' && o.metadata?.name === secretName) ? null : `ingest: Secret ${secretName} is not rendered`;
};
const names = (objects: K8sObject[], kind: string): string[] => objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name ?? '').sort();

describe('k8s/base', () => {
  let base: K8sObject[];
  before(() => {
    base = renderKustomization('k8s/base');
  });

  it('renders with kustomize and keeps every rule', () => {
    assert.deepEqual(k8sProblems(base, K8S_EXPECTATIONS), []);
  });

  it('has a Deployment, a PodDisruptionBudget and an HPA per stage, and Services for OTLP and metrics', () => {
    const stages = STAGES.map((s) => `sextant-${s.stage}`).sort();
    assert.deepEqual(names(base, 'Deployment'), stages);
    assert.deepEqual(names(base, 'PodDisruptionBudget'), stages);
    assert.deepEqual(names(base, 'HorizontalPodAutoscaler'), stages);
    assert.deepEqual(names(base, 'Service'), ['sextant-ingest', ...stages.map((s) => `${s}-metrics`)].sort());
  });

  it('is namespace-agnostic', () => {
    assert.deepEqual(namespaceProblems(base, undefined), []);
  });

  it('requires ingest tokens and mounts them from a Secret', () => {
    assert.equal(base.find((o) => o.kind === 'ConfigMap')?.data?.SEXTANT_AUTH_ANONYMOUS, 'false');
    assert.equal(ingestAuthProblem(base), null);
    const unmounted = structuredClone(base);
    delete containerOf(unmounted, 'sextant-ingest').volumeMounts;
    assert.equal(ingestAuthProblem(unmounted), 'ingest: /etc/sextant/ingest/tokens is not on a volume mounted from a Secret');
  });

  describe('the rules catch', () => {
    const mutated = (change: (objects: K8sObject[]) => void): string[] => {
      const copy = structuredClone(base);
      change(copy);
      return k8sProblems(copy, K8S_EXPECTATIONS);
    };
    it('a missing readiness probe', () => {
      const problems = mutated((o) => delete containerOf(o, 'sextant-parser').readinessProbe);
      assert.ok(problems.includes('parser: Deployment sextant-parser: readinessProbe does not GET /readyz'), problems.join('\n'));
    });
    it('a liveness probe on the wrong port', () => {
      const problems = mutated((o) => {
        containerOf(o, 'sextant-sink').livenessProbe = { httpGet: { path: '/healthz', port: 9999 } };
      });
      assert.ok(problems.includes('sink: Deployment sextant-sink: livenessProbe does not probe port 8302'), problems.join('\n'));
    });
    it('missing resource limits', () => {
      const problems = mutated((o) => delete containerOf(o, 'sextant-ingest').resources?.limits);
      assert.ok(problems.includes('ingest: Deployment sextant-ingest: no memory limits'), problems.join('\n'));
    });
    it('a writable root file system', () => {
      const problems = mutated((o) => {
        containerOf(o, 'sextant-ingest').securityContext = { readOnlyRootFilesystem: false, allowPrivilegeEscalation: false };
      });
      assert.ok(problems.includes('ingest: Deployment sextant-ingest: root file system is writable'), problems.join('\n'));
    });
    it('a missing PodDisruptionBudget', () => {
      const problems = mutated((o) => o.splice(o.findIndex((x) => x.kind === 'PodDisruptionBudget' && x.metadata?.name === 'sextant-sink'), 1));
      assert.ok(problems.includes('sink: expected one PodDisruptionBudget, found 0'), problems.join('\n'));
    });
    it('a grace period shorter than the shutdown timeout', () => {
      const problems = mutated((o) => {
        const d = ofKind<DeploymentSpec>(o, 'Deployment').find((x) => x.metadata?.name === 'sextant-parser');
        d!.spec!.template!.spec!.terminationGracePeriodSeconds = 30;
      });
      assert.ok(problems.some((p) => p.startsWith('parser: Deployment sextant-parser: terminationGracePeriodSeconds 30 <')), problems.join('\n'));
    });
    it('a stage with two autoscalers', () => {
      const problems = mutated((o) => {
        const hpa = structuredClone(o.find((x) => x.kind === 'HorizontalPodAutoscaler' && x.metadata?.name === 'sextant-parser')!);
        hpa.metadata!.name = 'sextant-parser-extra';
        o.push(hpa);
      });
      assert.ok(problems.some((p) => p.startsWith('parser: expected exactly one autoscaler')), problems.join('\n'));
    });
    it('an object pinned to a namespace in the base', () => {
      const copy = structuredClone(base);
      copy.find((o) => o.kind === 'Deployment')!.metadata!.namespace = 'prod';
      assert.equal(namespaceProblems(copy, undefined).length, 1);
    });
  });
});

describe('k8s/overlays/dev', () => {
  let dev: K8sObject[];
  before(() => {
    dev = renderKustomization('k8s/overlays/dev');
  });

  it('renders with kustomize and keeps every rule', () => {
    assert.deepEqual(k8sProblems(dev, K8S_EXPECTATIONS), []);
  });

  it('puts everything in its namespace', () => {
    assert.deepEqual(namespaceProblems(dev, 'sextant-dev'), []);
  });

  it('runs one replica per stage from the dev image', () => {
    for (const d of ofKind<DeploymentSpec>(dev, 'Deployment')) {
      assert.equal(d.spec?.replicas, 1, d.metadata?.name);
      assert.equal(d.spec?.template?.spec?.containers?.[0]?.image, 'sextant:dev', d.metadata?.name);
    }
  });

  it('merges its settings into the base ConfigMap', () => {
    const config = dev.find((o) => o.kind === 'ConfigMap' && o.metadata?.name?.startsWith('sextant-config'));
    assert.equal(config?.data?.SEXTANT_AUTH_ANONYMOUS, 'true');
    assert.equal(config?.data?.SEXTANT_TOPIC_PREFIX, 'sextant.');
  });
});

describe('k8s/components/keda', () => {
  let scaled: K8sObject[];
  before(() => {
    scaled = renderWithComponents(['k8s/base'], ['k8s/components/keda']);
  });

  it('keeps every rule when enabled on the base', () => {
    assert.deepEqual(k8sProblems(scaled, K8S_EXPECTATIONS), []);
  });

  it('replaces the consumers\' CPU HPAs with lag-based ScaledObjects, and leaves ingest and the scraper on theirs', () => {
    assert.deepEqual(names(scaled, 'ScaledObject'), ['sextant-aggregator', 'sextant-parser', 'sextant-sink']);
    assert.deepEqual(names(scaled, 'HorizontalPodAutoscaler'), ['sextant-ingest', 'sextant-scraper']);
  });

  it('is not enabled in the base', () => {
    assert.deepEqual(names(renderKustomization('k8s/base'), 'ScaledObject'), []);
  });
});
