// Starting a worker thread that speaks the RPC of shared/rpc.ts: it says 'ready' once it can
// serve, or 'fatal' with the error (class name kept, so a caller can tell a bad rules file
// from an unusable database); a worker that dies takes its outstanding calls with it.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { RpcPeer } from '../../../shared/rpc';
import { workerScript } from './workerScript';

export class WorkerStartError extends Error {
  /** The class name of the error inside the worker (BrokerUnreachableError, DatabaseOpenError, ...). */
  constructor(
    message: string,
    readonly kind = 'Error',
  ) {
    super(message);
  }
}

/** What a worker posts about its life, beside RPC replies. */
export interface LifecycleEvents {
  ready: undefined;
  fatal: { error: string; kind: string };
}

/**
 * An uncaught error of a worker as text. Errors that are not plain Error instances (such as
 * better-sqlite3's SqliteError) cross the thread boundary as bare objects without a message.
 */
export function workerErrorMessage(err: unknown, label = 'engine worker'): string {
  const e = err as { message?: unknown; code?: unknown } | null;
  if (e && typeof e.message === 'string' && e.message) return e.message;
  if (e && typeof e.code === 'string') return `${label} crashed: ${e.code}`;
  return `${label} crashed: ${String(err)}`;
}

export interface StartedWorker {
  peer: RpcPeer;
  worker: Worker;
  /** Errors after start (uncaught in the worker, or a 'fatal' it posted). */
  onFatal(listener: (message: string) => void): void;
  /** Resolves with the exit code once the thread has ended. */
  exited: Promise<number>;
}

export interface StartOptions {
  /** What the worker is called in errors ("engine worker", "read worker"). */
  label: string;
  resourceLimits?: ResourceLimits;
  /** Called at once with the channel, so events the worker posts before 'ready' are heard. */
  early?: (peer: RpcPeer) => void;
}

/** Starts `entry` (a path relative to `callerFile`, without extension) and waits for 'ready'. */
export function startWorker(callerFile: string, entry: string, workerData: unknown, options: StartOptions): Promise<StartedWorker> {
  const script = workerScript(callerFile, entry);
  const worker = new Worker(script.file, { ...script.options, workerData, resourceLimits: options.resourceLimits });
  const peer = new RpcPeer(worker);
  options.early?.(peer);
  const fatalListeners: ((message: string) => void)[] = [];
  let ready = false;
  let exitCode: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exitCode = resolve));
  return new Promise((resolve, reject) => {
    const fatal = (message: string, kind = 'Error') => {
      if (!ready) reject(new WorkerStartError(message, kind));
      else for (const l of fatalListeners) l(message);
    };
    peer.on('ready', () => {
      ready = true;
      resolve({ peer, worker, exited, onFatal: (l) => fatalListeners.push(l) });
    });
    peer.on('fatal', (p) => {
      const f = p as LifecycleEvents['fatal'];
      fatal(f.error, f.kind);
    });
    worker.on('error', (err) => fatal(workerErrorMessage(err, options.label)));
    worker.on('exit', (code) => {
      peer.close(`the ${options.label} has stopped`);
      if (!ready) reject(new WorkerStartError(`the ${options.label} exited with code ${code}`));
      exitCode(code);
    });
  });
}
