// The main-thread handle of one engine session running in its worker thread: typed proxies of
// the services it serves, the latest snapshot, its pushes (snapshot, alert, log, drained,
// fatal, exit) and an orderly stop.
import { EventEmitter } from 'node:events';
import type { AlertNotification } from '../../../shared/alerts';
import type { EngineSnapshot } from '../../../shared/metrics';
import type { Remote } from '../../../shared/rpc';
import type { EngineConfig } from '../engine/engineConfig';
import type { EngineServices } from '../engine/engineServices';
import { startWorker, type StartedWorker } from '../threads/workerHandle';

export { WorkerStartError as EngineStartError, workerErrorMessage } from '../threads/workerHandle';

export type EngineProxies = { [K in keyof EngineServices]: Remote<EngineServices[K]> };

/** What the engine worker pushes without being asked. */
export interface EngineEvents {
  snapshot: EngineSnapshot;
  alert: AlertNotification;
  log: string;
  /** With `drain` (or a finite source): everything is committed and acknowledged. */
  drained: undefined;
}

// A batch (up to a few thousand decoded events) lives until its commit; with V8's default
// young generation those objects survive a scavenge and are promoted, which made GC a
// large share of ingest cost. A larger young generation lets them die young.
const youngGenerationMb = (): number => Number(process.env.PAYOPS_YOUNG_GEN_MB ?? 64);

export class EngineHost extends EventEmitter {
  private latest: EngineSnapshot | null = null;
  private stopping: Promise<void> | null = null;
  private exited = false;
  readonly services: EngineProxies;

  private constructor(private readonly handle: StartedWorker) {
    super();
    const peer = handle.peer;
    this.services = {
      ingest: peer.remote('ingest'),
      store: peer.remote('store'),
      metrics: peer.remote('metrics'),
      alerts: peer.remote('alerts'),
      rules: peer.remote('rules'),
      capture: peer.remote('capture'),
      replay: peer.remote('replay'),
    };
    peer.on('snapshot', (s) => {
      this.latest = s as EngineSnapshot;
      this.emit('snapshot', s);
    });
    for (const name of ['alert', 'log', 'drained'] as const) peer.on(name, (payload) => this.emit(name, payload));
    handle.onFatal((message) => this.emit('fatal', message));
    void handle.exited.then((code) => {
      this.exited = true;
      this.emit('exit', code);
    });
  }

  static async start(config: EngineConfig): Promise<EngineHost> {
    const handle = await startWorker(__filename, '../engine/engineWorker', config, { label: 'engine worker', resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb() } });
    return new EngineHost(handle);
  }

  get snapshot(): EngineSnapshot | null {
    return this.latest;
  }

  /** Flushes and acknowledges what is in hand, then ends the worker. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopping ??= (async () => {
      await this.handle.peer.call('lifecycle', 'stop').catch(() => undefined);
      await this.handle.exited;
    })();
    return this.stopping;
  }

  override on<K extends keyof EngineEvents>(event: K, listener: (payload: EngineEvents[K]) => void): this;
  override on(event: 'fatal', listener: (message: string) => void): this;
  override on(event: 'exit', listener: (code: number) => void): this;
  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
}
