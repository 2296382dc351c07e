import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { AlertNotification } from '../../../shared/alerts';
import type { EngineSnapshot } from '../../../shared/metrics';
import type { EngineConfig } from './engineConfig';
import type { FromWorker, ToWorker } from './workerProtocol';
import { workerScript } from '../workerScript';

export class EngineStartError extends Error {
  /** The class name of the error inside the worker (BrokerUnreachableError, DatabaseOpenError, ...). */
  constructor(
    message: string,
    readonly kind = 'Error',
  ) {
    super(message);
  }
}


/**
 * An uncaught error of the worker as text. Errors that are not plain Error instances (such as
 * better-sqlite3's SqliteError) cross the thread boundary as bare objects without a message.
 */
export function workerErrorMessage(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown } | null;
  if (e && typeof e.message === 'string' && e.message) return e.message;
  if (e && typeof e.code === 'string') return `engine worker crashed: ${e.code}`;
  return `engine worker crashed: ${String(err)}`;
}

// A batch (up to a few thousand decoded events) lives until its commit; with V8's default
// young generation those objects survive a scavenge and are promoted, which made GC a
// large share of ingest cost. A larger young generation lets them die young.
function youngGeneration(): { maxYoungGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: Number(process.env.PAYOPS_YOUNG_GEN_MB ?? 64) };
}

/**
 * The main-thread handle of an engine running in a worker thread: the latest snapshot,
 * snapshot/alert/log events, requests answered by the worker, and an orderly stop.
 */
export class EngineHost extends EventEmitter {
  private latest: EngineSnapshot | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;
  private stopping: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {
    super();
  }

  static start(config: EngineConfig): Promise<EngineHost> {
    const { file, execArgv } = workerScript(__filename, __dirname, 'engineWorker');
    const worker = new Worker(file, { execArgv, workerData: config, resourceLimits: youngGeneration() });
    const host = new EngineHost(worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(host);
        } else if (message.type === 'fatal') {
          if (!ready) reject(new EngineStartError(message.error, message.kind));
          else host.emit('fatal', message.error);
        } else host.onMessage(message);
      });
      worker.on('error', (err) => {
        const message = workerErrorMessage(err);
        if (!ready) reject(new EngineStartError(message));
        else host.emit('fatal', message);
      });
      worker.on('exit', (code) => {
        host.exited = true;
        for (const p of host.pending.values()) p.reject(new Error('engine stopped'));
        host.pending.clear();
        if (!ready) reject(new EngineStartError(`engine worker exited with code ${code}`));
        host.emit('exit', code);
      });
    });
  }

  get snapshot(): EngineSnapshot | null {
    return this.latest;
  }

  request(name: string, args: unknown): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('engine stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'request', id, name, args });
    });
  }

  /** Flushes and acknowledges what is in hand, then ends the worker. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopping ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.send({ type: 'stop' });
    });
    return this.stopping;
  }

  override on(event: 'snapshot', listener: (s: EngineSnapshot) => void): this;
  override on(event: 'alert', listener: (n: AlertNotification) => void): this;
  override on(event: 'log' | 'fatal', listener: (line: string) => void): this;
  override on(event: 'drained', listener: () => void): this;
  override on(event: 'exit', listener: (code: number) => void): this;
  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'snapshot':
        this.latest = message.snapshot;
        this.emit('snapshot', message.snapshot);
        break;
      case 'alert':
        this.emit('alert', message.notification);
        break;
      case 'log':
        this.emit('log', message.line);
        break;
      case 'drained':
        this.emit('drained');
        break;
      case 'response': {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!p) break;
        if (message.ok) p.resolve(message.result);
        else p.reject(new Error(message.error));
        break;
      }
      default:
        break;
    }
  }
}
