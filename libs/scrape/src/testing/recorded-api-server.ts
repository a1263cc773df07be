/**
 * A recorded fake of the Kubernetes API server, for discovery tests without a cluster: an HTTP server on
 * port 0 that answers list requests with recorded JSON lists (testdata/*.json) and streams watch events
 * (ADDED/MODIFIED/DELETED, newline-delimited JSON over a chunked response) for pods, services, endpoints,
 * endpointslices and the monitoring.coreos.com/v1 servicemonitors and podmonitors, cluster-wide and per
 * namespace. Like the real server it keeps one resourceVersion sequence and an event history: a watch from a
 * resourceVersion replays what came after it, and one older than the history gets a 410 Gone ERROR event.
 * Tests drive it: `apply` an event, `dropWatches` (the server closes streams), `failNext` (answer errors),
 * `expireHistory` (compaction).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export type RecordedResource = 'pods' | 'services' | 'endpoints' | 'endpointslices' | 'servicemonitors' | 'podmonitors';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const RESOURCES: Readonly<Record<RecordedResource, { prefix: string; listKind: string; apiVersion: string }>> = {
  pods: { prefix: '/api/v1', listKind: 'PodList', apiVersion: 'v1' },
  services: { prefix: '/api/v1', listKind: 'ServiceList', apiVersion: 'v1' },
  endpoints: { prefix: '/api/v1', listKind: 'EndpointsList', apiVersion: 'v1' },
  endpointslices: { prefix: '/apis/discovery.k8s.io/v1', listKind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1' },
  servicemonitors: { prefix: '/apis/monitoring.coreos.com/v1', listKind: 'ServiceMonitorList', apiVersion: 'monitoring.coreos.com/v1' },
  podmonitors: { prefix: '/apis/monitoring.coreos.com/v1', listKind: 'PodMonitorList', apiVersion: 'monitoring.coreos.com/v1' },
};

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly resource: RecordedResource | undefined;
  readonly namespace: string | undefined;
  readonly watch: boolean;
  readonly path: string;
}

interface HistoryEvent {
  readonly rv: number;
  readonly resource: RecordedResource;
  readonly type: WatchEventType;
  readonly object: KubernetesObject;
}

interface OpenWatch {
  readonly resource: RecordedResource;
  readonly namespace: string | undefined;
  readonly res: ServerResponse;
}

/** Where the recordings are: src/testdata of this lib (the tests run from dist/). */
export const TESTDATA_DIR = join(__dirname, '..', '..', 'src', 'testdata');

/** A recorded list file of testdata/, parsed. */
export function readRecording(file: string): { items: KubernetesObject[] } {
  return JSON.parse(readFileSync(join(TESTDATA_DIR, file), 'utf8')) as { items: KubernetesObject[] };
}

export class RecordedApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<RecordedResource, Map<string, KubernetesObject>>();
  private readonly history: HistoryEvent[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly failures = new Map<RecordedResource, { status: number; times: number }>();
  private rv = 1000;
  private historyStart = 0;

  private constructor(private readonly server: Server) {
    for (const r of Object.keys(RESOURCES) as RecordedResource[]) this.objects.set(r, new Map());
  }

  /** Serves `recordings` (resource → list file in testdata/, e.g. `pods: 'pods.json'`). */
  static async start(recordings: Partial<Record<RecordedResource, string>>): Promise<RecordedApiServer> {
    const api: RecordedApiServer = new RecordedApiServer(createServer((req, res) => api.handle(req, res)));
    for (const [resource, file] of Object.entries(recordings) as [RecordedResource, string][]) {
      for (const item of readRecording(file).items) api.store(resource, item);
    }
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A KubeConfig pointing at this server. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'recorded', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'scraper', token: 'recorded-token' }],
      contexts: [{ name: 'recorded', cluster: 'recorded', user: 'scraper' }],
      currentContext: 'recorded',
    });
    return kc;
  }

  /** Applies an event (the object gets the next resourceVersion) and streams it to matching watches. */
  apply(resource: RecordedResource, type: WatchEventType, object: KubernetesObject): void {
    const copy = structuredClone(object);
    copy.metadata = { ...copy.metadata, resourceVersion: String(++this.rv) };
    const key = objectKey(copy);
    if (type === 'DELETED') this.objects.get(resource)!.delete(key);
    else this.objects.get(resource)!.set(key, copy);
    const event: HistoryEvent = { rv: this.rv, resource, type, object: copy };
    this.history.push(event);
    for (const w of this.watches) if (matches(w, event)) w.res.write(`${JSON.stringify({ type, object: copy })}\n`);
  }

  /** The stored object of `resource` named `namespace/name`. */
  get(resource: RecordedResource, namespace: string, name: string): KubernetesObject {
    const o = this.objects.get(resource)!.get(`${namespace}/${name}`);
    if (o === undefined) throw new Error(`no ${resource} ${namespace}/${name}`);
    return structuredClone(o);
  }

  /** Ends every open watch stream, as the server does when a watch times out. */
  dropWatches(): void {
    for (const w of this.watches) w.res.end();
    this.watches.clear();
  }

  /** The next `times` list or watch requests of `resource` get `status`. */
  failNext(resource: RecordedResource, status: number, times = 1): void {
    this.failures.set(resource, { status, times });
  }

  /** Forgets the history (etcd compaction): watches from an older resourceVersion get 410 Gone. */
  expireHistory(): void {
    this.history.length = 0;
    this.historyStart = this.rv;
  }

  async close(): Promise<void> {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private store(resource: RecordedResource, object: KubernetesObject): void {
    const rv = Number(object.metadata?.resourceVersion ?? 0);
    if (rv > this.rv) this.rv = rv;
    this.objects.get(resource)!.set(objectKey(object), object);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = parseRoute(url.pathname);
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({ method: req.method ?? '', resource: route?.resource, namespace: route?.namespace, watch, path: url.pathname });
    if (route === undefined || req.method !== 'GET') return status(res, 404, 'NotFound', `the server could not find the requested resource`);
    const failure = this.failures.get(route.resource);
    if (failure !== undefined && failure.times > 0) {
      failure.times--;
      return status(res, failure.status, 'InternalError', 'recorded failure');
    }
    if (!watch) {
      const items = [...this.objects.get(route.resource)!.values()].filter((o) => route.namespace === undefined || o.metadata?.namespace === route.namespace);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: RESOURCES[route.resource].listKind, apiVersion: RESOURCES[route.resource].apiVersion, metadata: { resourceVersion: String(this.rv) }, items }));
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (from < this.historyStart) {
      const gone = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `too old resource version: ${from} (${this.historyStart})`, reason: 'Expired', code: 410 };
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    const w: OpenWatch = { resource: route.resource, namespace: route.namespace, res };
    for (const e of this.history) if (e.rv > from && matches(w, e)) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
    this.watches.add(w);
    res.on('close', () => this.watches.delete(w));
  }
}

function parseRoute(pathname: string): { resource: RecordedResource; namespace: string | undefined } | undefined {
  for (const [resource, { prefix }] of Object.entries(RESOURCES) as [RecordedResource, { prefix: string }][]) {
    if (pathname === `${prefix}/${resource}`) return { resource, namespace: undefined };
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}/namespaces/([^/]+)/${resource}$`).exec(pathname);
    if (m !== null) return { resource, namespace: m[1] };
  }
  return undefined;
}

function matches(w: OpenWatch, e: HistoryEvent): boolean {
  return w.resource === e.resource && (w.namespace === undefined || e.object.metadata?.namespace === w.namespace);
}

function objectKey(o: KubernetesObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}
