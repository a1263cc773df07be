/**
 * One list+watch of one resource (`makeInformer` of @kubernetes/client-node: it lists, watches from the
 * list's resourceVersion, re-watches when the server closes the stream, relists on 410 Gone). What it does not
 * do is recover from an error (a failed list, a refused watch, a dropped connection): it stops. This wrapper
 * restarts it with bounded exponential backoff, keeping its cache meanwhile, and says when it has synced.
 */
import { makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';

/** Backoff between restarts after errors. */
export interface BackoffOptions {
  /** First delay, ms. */
  readonly initialMs: number;
  /** Longest delay, ms; also how long without an error resets the delay to `initialMs`. */
  readonly maxMs: number;
}

export interface WatchedResource<T extends KubernetesObject> {
  /** For errors and status, e.g. `pods` or `pods in shop`. */
  readonly name: string;
  /** The collection's path, e.g. `/api/v1/pods` or `/api/v1/namespaces/shop/pods`. */
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
}

export interface InformerEvents {
  /** Something in the cache changed, or the informer synced. */
  readonly onChange: () => void;
  readonly onError: (resource: string, err: unknown) => void;
}

export class ResilientInformer<T extends KubernetesObject> {
  private readonly informer: Informer<T> & ObjectCache<T>;
  private restartTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private lastStartMs = 0;
  private stopped = true;
  private failedSinceStart = false;
  /** True once the first list succeeded or failed (a missing CRD must not hold back the other resources). */
  synced = false;
  errors = 0;

  constructor(
    kubeConfig: KubeConfig,
    readonly resource: WatchedResource<T>,
    private readonly backoff: BackoffOptions,
    private readonly events: InformerEvents,
  ) {
    this.delayMs = backoff.initialMs;
    this.informer = makeInformer(kubeConfig, resource.path, resource.list);
    const changed = (): void => events.onChange();
    this.informer.on('add', changed);
    this.informer.on('update', changed);
    this.informer.on('delete', changed);
    this.informer.on('error', (err: unknown) => this.failed(err));
  }

  /** The cached objects. */
  list(): readonly T[] {
    return this.informer.list();
  }

  start(): void {
    this.stopped = false;
    this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer.stop();
  }

  private run(): void {
    this.lastStartMs = Date.now();
    this.failedSinceStart = false;
    this.informer.start().then(
      () => {
        if (this.failedSinceStart || this.stopped) return;
        if (!this.synced) {
          this.synced = true;
          this.events.onChange();
        }
      },
      (err: unknown) => this.failed(err),
    );
  }

  private failed(err: unknown): void {
    this.errors++;
    this.failedSinceStart = true;
    if (this.stopped) return;
    this.events.onError(this.resource.name, err);
    if (!this.synced) {
      this.synced = true;
      this.events.onChange();
    }
    if (Date.now() - this.lastStartMs > this.backoff.maxMs) this.delayMs = this.backoff.initialMs;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.run();
    }, this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxMs);
  }
}
