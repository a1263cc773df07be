import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import type { TargetSnapshot } from '../discovery';
import type { ScrapeTarget } from '../scrape-target';
import { RecordedApiServer, type RecordedResource } from '../testing/recorded-api-server';
import { KubernetesDiscovery } from './kubernetes-discovery';
import type { KubernetesDiscoveryOptions } from './kubernetes-discovery.config';

const ALL: Partial<Record<RecordedResource, string>> = {
  pods: 'pods.json',
  services: 'services.json',
  endpoints: 'endpoints.json',
  endpointslices: 'endpointslices.json',
  servicemonitors: 'servicemonitors.json',
  podmonitors: 'podmonitors.json',
};

/** Collects snapshots; `next` waits for the first one that satisfies `until`. */
class Snapshots {
  readonly all: TargetSnapshot[] = [];
  private waiting: (() => void) | undefined;
  readonly push = (s: TargetSnapshot): void => {
    this.all.push(s);
    this.waiting?.();
  };

  async next(until: (targets: readonly ScrapeTarget[]) => boolean, timeoutMs = 5000): Promise<readonly ScrapeTarget[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.all.at(-1);
      if (last !== undefined && until(last.targets)) return last.targets;
      if (Date.now() > deadline) assert.fail(`no matching snapshot; last: ${JSON.stringify(last?.targets.map(describeTarget))}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
  }
}

function describeTarget(t: ScrapeTarget): string {
  return `${t.job} ${t.address}`;
}

function labelsOf(t: ScrapeTarget): Record<string, string> {
  return Object.fromEntries(t.labels.map((l) => [l.name, l.value]));
}

describe('KubernetesDiscovery against the recorded API server', () => {
  let api: RecordedApiServer | undefined;
  let discovery: KubernetesDiscovery | undefined;
  afterEach(async () => {
    await discovery?.stop();
    await api?.close();
    discovery = undefined;
    api = undefined;
  });

  async function start(options: Partial<KubernetesDiscoveryOptions> = {}, recordings = ALL): Promise<Snapshots> {
    api = await RecordedApiServer.start(recordings);
    discovery = new KubernetesDiscovery({ kubeConfig: api.kubeConfig(), debounceMs: 20, backoff: { initialMs: 20, maxMs: 200 }, ...options });
    const snapshots = new Snapshots();
    await discovery.start(snapshots.push);
    return snapshots;
  }

  it('finds annotated pods, ServiceMonitor and PodMonitor targets with their labels and settings', async () => {
    const snapshots = await start();
    const targets = await snapshots.next(() => true);
    assert.equal(snapshots.all.length, 1, 'one snapshot once everything listed');
    assert.deepEqual(targets.map(describeTarget).sort(), [
      'kubernetes-pods 10.244.1.14:8080',
      'kubernetes-pods 10.244.2.17:7070',
      'kubernetes-pods 10.244.2.17:9090',
      'kubernetes-pods 10.244.2.9:8080',
      'podMonitor/shop/cart/0 10.244.2.17:9090',
      'serviceMonitor/monitoring/payments/0 10.244.1.20:9102',
      'serviceMonitor/monitoring/payments/0 10.244.2.21:9102',
    ]);
    const pod = targets.find((t) => t.address === '10.244.1.14:8080')!;
    assert.deepEqual(labelsOf(pod), { container: 'checkout', instance: '10.244.1.14:8080', job: 'kubernetes-pods', namespace: 'shop', node: 'kind-worker-a', pod: 'checkout-6d9f7b8c5d-x2k4q' });
    const sm = targets.find((t) => t.address === '10.244.1.20:9102')!;
    assert.deepEqual(labelsOf(sm), {
      endpoint: 'http-metrics',
      instance: '10.244.1.20:9102',
      job: 'payments',
      namespace: 'payments',
      node: 'kind-worker-a',
      pod: 'payments-7f6d5c9b8-4jxkw',
      service: 'payments',
      team: 'billing',
    });
    assert.deepEqual([sm.intervalMs, sm.timeoutMs, sm.sampleLimit, sm.metricsPath, sm.honorLabels], [15_000, 5000, 20_000, '/metrics', false]);
    const pm = targets.find((t) => t.job.startsWith('podMonitor/'))!;
    assert.deepEqual(labelsOf(pm), { container: 'cart', endpoint: 'metrics', instance: '10.244.2.17:9090', job: 'shop/cart', namespace: 'shop', pod: 'cart-5b7c9d4f8-hw3tn', tier: 'backend' });
    assert.deepEqual([pm.intervalMs, pm.honorLabels], [30_000, true]);
  });

  it('follows watch events: pods going and coming, endpoints changing, monitors and services deleted', async () => {
    const snapshots = await start();
    await snapshots.next(() => true);
    const server = api!;
    // A pod finishes: its target goes.
    const finished = server.get('pods', 'shop', 'checkout-6d9f7b8c5d-p7m2z') as V1Pod;
    finished.status = { ...finished.status, phase: 'Succeeded' };
    server.apply('pods', 'MODIFIED', finished);
    await snapshots.next((ts) => !ts.some((t) => t.address === '10.244.2.9:8080'));
    // The pending pod starts and gets an IP: its target comes.
    const started = server.get('pods', 'shop', 'checkout-6d9f7b8c5d-n9v5r') as V1Pod;
    started.status = { ...started.status, phase: 'Running', podIP: '10.244.1.33' };
    server.apply('pods', 'MODIFIED', started);
    await snapshots.next((ts) => ts.some((t) => t.address === '10.244.1.33:8080'));
    // A third payments backend appears in the EndpointSlice.
    const slice = server.get('endpointslices', 'payments', 'payments-8xq2v') as V1EndpointSlice;
    slice.endpoints.push({ addresses: ['10.244.3.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'payments-7f6d5c9b8-zz9k1', namespace: 'payments' } });
    server.apply('endpointslices', 'MODIFIED', slice);
    await snapshots.next((ts) => ts.some((t) => t.address === '10.244.3.5:9102'));
    // The Service loses the label the ServiceMonitor selects on: its targets go.
    const svc = server.get('services', 'payments', 'payments') as V1Service;
    svc.metadata!.labels = { ...svc.metadata!.labels, team: 'other' };
    server.apply('services', 'MODIFIED', svc);
    await snapshots.next((ts) => !ts.some((t) => t.job.startsWith('serviceMonitor/')));
    // The PodMonitor is deleted; the annotated pod's own targets stay.
    server.apply('podmonitors', 'DELETED', server.get('podmonitors', 'shop', 'cart'));
    const after = await snapshots.next((ts) => !ts.some((t) => t.job.startsWith('podMonitor/')));
    assert.ok(after.some((t) => t.address === '10.244.2.17:9090' && t.job === 'kubernetes-pods'));
    server.apply('pods', 'DELETED', server.get('pods', 'shop', 'cart-5b7c9d4f8-hw3tn'));
    await snapshots.next((ts) => !ts.some((t) => t.address.startsWith('10.244.2.17:')));
  });

  it('reads Endpoints instead of EndpointSlices when told, not-ready addresses included', async () => {
    const snapshots = await start({ endpointsApi: 'endpoints' });
    const targets = await snapshots.next(() => true);
    assert.equal(targets.filter((t) => t.job.startsWith('serviceMonitor/')).length, 2);
    assert.ok(api!.requests.some((r) => r.resource === 'endpoints') && !api!.requests.some((r) => r.resource === 'endpointslices'));
  });

  it('resyncs after watch errors with backoff and after 410 Gone, catching up on what it missed', async () => {
    const errors: string[] = [];
    const snapshots = await start({ onError: (resource) => errors.push(resource) });
    await snapshots.next(() => true);
    const server = api!;
    // The watch streams end and the pods watch is refused twice: the informer retries.
    server.failNext('pods', 500, 2);
    server.dropWatches();
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.apply('pods', 'DELETED', server.get('pods', 'shop', 'checkout-6d9f7b8c5d-x2k4q'));
    await snapshots.next((ts) => !ts.some((t) => t.address === '10.244.1.14:8080'));
    assert.ok(errors.filter((e) => e === 'pods').length >= 2, `errors: ${errors.join(',')}`);
    // Compaction while disconnected: the re-watch gets 410 Gone and relists, which shows the deletion.
    server.dropWatches();
    server.expireHistory();
    const cart = server.get('pods', 'shop', 'cart-5b7c9d4f8-hw3tn');
    server.apply('pods', 'DELETED', cart);
    server.expireHistory();
    await snapshots.next((ts) => !ts.some((t) => t.address.startsWith('10.244.2.17:')));
    assert.ok(server.requests.filter((r) => r.resource === 'pods' && !r.watch).length >= 2, 'pods were listed again');
    assert.ok(discovery!.status().every((s) => s.synced));
  });

  it('watches only the given namespaces, through namespaced paths', async () => {
    const snapshots = await start({ namespaces: ['shop'] });
    const targets = await snapshots.next(() => true);
    assert.ok(targets.length > 0 && targets.every((t) => labelsOf(t).namespace === 'shop'));
    assert.ok(api!.requests.every((r) => r.namespace === 'shop'));
  });

  it('still delivers pod targets when the monitoring CRDs are not installed', async () => {
    const snapshots = await start({}, { pods: 'pods.json', services: 'services.json', endpointslices: 'endpointslices.json' });
    api!.failNext('servicemonitors', 404, 1000);
    api!.failNext('podmonitors', 404, 1000);
    const targets = await snapshots.next((ts) => ts.length > 0);
    assert.ok(targets.every((t) => t.job === 'kubernetes-pods'));
  });

  it('only reads (GET list and watch) the resources its RBAC names', async () => {
    const snapshots = await start();
    await snapshots.next(() => true);
    assert.ok(api!.requests.every((r) => r.method === 'GET'));
    assert.deepEqual([...new Set(api!.requests.map((r) => r.resource))].sort(), ['endpointslices', 'podmonitors', 'pods', 'servicemonitors', 'services']);
  });
});
