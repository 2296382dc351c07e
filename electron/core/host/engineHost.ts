// The main-thread handle of one engine session running in its worker thread: typed proxies of
// the services it serves, the latest snapshot, its pushes (snapshot, alert, silence, log, drained,
// fatal, exit) and an orderly stop.
import { EventEmitter } from 'node:events';
import type { AlertNotification, AlertSilenceChange } from '../../../shared/alerts';
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
  /** An announced alert's silence began or ended: for the notification router. */
  silence: AlertSilenceChange;
  log: string;
  /** With `drain` (or a finite source): everything is committed and acknowledged. */
  drained: undefined;
}

// A batch (up to a few thousand decoded events) lives until its commit; with V8's default
// young generation those objects survive a scavenge and are promoted, which made GC a
// large share of ingest cost. A larger young generation lets them die young.
const youngGenerationMb = (): number => Number(process.env.PAYOPS_YOUNG_GEN_MB ?? 64);

/** Log lines kept until the host's owner listens (a bound: a chatty start cannot grow memory). */
const MAX_PENDING_LOGS = 200;

export class EngineHost extends EventEmitter {
  private latest: EngineSnapshot | null = null;
  private stopping: Promise<void> | null = null;
  private exited = false;
  readonly services: EngineProxies;

  /**
   * Log lines from before anyone listened (the broker connects while the host is still being
   * set up: "consuming queue ..." must not be lost); handed to the first 'log' listener.
   */
  private pendingLogs: string[] | null;

  private constructor(
    private readonly handle: StartedWorker,
    earlyLogs: string[],
  ) {
    super();
    this.pendingLogs = earlyLogs;
    const peer = handle.peer;
    this.services = {
      ingest: peer.remote('ingest'),
      store: peer.remote('store'),
      metrics: peer.remote('metrics'),
      alerts: peer.remote('alerts'),
      rules: peer.remote('rules'),
      capture: peer.remote('capture'),
      replay: peer.remote('replay'),
      deadLetters: peer.remote('deadLetters'),
    };
    peer.on('snapshot', (s) => {
      this.latest = s as EngineSnapshot;
      this.emit('snapshot', s);
    });
    for (const name of ['alert', 'silence', 'drained'] as const) peer.on(name, (payload) => this.emit(name, payload));
    peer.on('log', (line) => {
      if (this.pendingLogs && this.listenerCount('log') === 0) {
        if (this.pendingLogs.length < MAX_PENDING_LOGS) this.pendingLogs.push(line as string);
      } else this.emit('log', line);
    });
    handle.onFatal((message) => this.emit('fatal', message));
    void handle.exited.then((code) => {
      this.exited = true;
      this.emit('exit', code);
    });
  }

  static async start(config: EngineConfig): Promise<EngineHost> {
    const early: string[] = [];
    let unlisten: () => void = () => undefined;
    const handle = await startWorker(__filename, '../engine/engineWorker', config, {
      label: 'engine worker',
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb() },
      // Lines logged while the session starts (before 'ready') are kept too.
      early: (peer) => (unlisten = peer.on('log', (line) => void (early.length < MAX_PENDING_LOGS && early.push(line as string)))),
    });
    unlisten();
    return new EngineHost(handle, early);
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
    super.on(event, listener as (...args: unknown[]) => void);
    if (event === 'log' && this.pendingLogs) {
      const lines = this.pendingLogs;
      this.pendingLogs = null;
      for (const line of lines) (listener as (line: string) => void)(line);
    }
    return this;
  }
}
