// One small RPC for every boundary between our threads (engine worker, consumer thread, read
// worker): typed services called by name over a MessagePort-like channel, one-way events in
// both directions, and the id/pending bookkeeping the WebSocket client shares. Modelled on
// VS Code's ProxyChannel: a service interface on one side, a proxy of the same type on the
// other. It trusts its peer: requests from outside the process are validated before they
// reach a service (see apiDispatch), never here.

/** Structured-clone messages of the protocol. */
export type RpcMessage =
  | { rpc: 'call'; id: number; service: string; method: string; args: unknown }
  | { rpc: 'reply'; id: number; ok: true; result: unknown }
  | { rpc: 'reply'; id: number; ok: false; error: string; kind: string }
  | { rpc: 'event'; name: string; payload: unknown };

/** What both ends of a worker_threads channel offer (Worker, parentPort, MessagePort). */
export interface RpcPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** An error thrown on the other side: its message (already safe to show) and class name. */
export class RpcError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** The calling side's view of a service: every method answers asynchronously. */
export type Remote<S> = {
  [K in keyof S]: S[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

interface Waiting {
  label: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: unknown;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms) as unknown as { unref?: () => void };
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Outstanding calls: ids, their promises, an optional timeout each. */
export class PendingCalls {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly timers: Timers = realTimers) {}

  get size(): number {
    return this.waiting.size;
  }

  /** A new call: its id, and the promise its answer settles. `onTimeout` makes the error. */
  begin<T>(label: string, timeoutMs?: number, onTimeout?: () => Error): { id: number; answer: Promise<T> } {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? null
          : this.timers.set(() => {
              if (this.waiting.delete(id)) reject(onTimeout?.() ?? new Error(`${label}: no answer within ${Math.round(timeoutMs / 1000)} s`));
            }, timeoutMs);
      this.waiting.set(id, { label, resolve: resolve as (v: unknown) => void, reject, timer });
    });
    return { id, answer };
  }

  resolve(id: number, value: unknown): boolean {
    const w = this.take(id);
    w?.resolve(value);
    return w !== undefined;
  }

  reject(id: number, error: Error | ((label: string) => Error)): boolean {
    const w = this.take(id);
    w?.reject(typeof error === 'function' ? error(w.label) : error);
    return w !== undefined;
  }

  /** Fails every outstanding call (the channel closed). */
  rejectAll(error: (label: string) => Error): void {
    for (const id of [...this.waiting.keys()]) this.reject(id, error);
  }

  private take(id: number): Waiting | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    if (w.timer !== null) this.timers.clear(w.timer);
    return w;
  }
}

function errorParts(err: unknown): { error: string; kind: string } {
  const e = err as { message?: unknown; kind?: unknown; constructor?: { name?: string } } | null;
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  const kind = e && typeof e.kind === 'string' ? e.kind : (e?.constructor?.name ?? 'Error');
  return { error: message, kind };
}

function isRpcMessage(m: unknown): m is RpcMessage {
  return typeof m === 'object' && m !== null && typeof (m as { rpc?: unknown }).rpc === 'string';
}

export interface RpcPeerOptions {
  /** Turns an error thrown by a served method into the text sent back (e.g. redacting secrets). */
  describeError?: (err: unknown) => string;
  /** Messages that are not RPC (a worker's own start-up messages) go here. */
  onOther?: (message: unknown) => void;
}

/** One end of a channel: calls the other end's services, serves its own, and exchanges events. */
export class RpcPeer {
  private readonly pending = new PendingCalls();
  private readonly served = new Map<string, object>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private closedBecause: string | null = null;

  constructor(
    private readonly port: RpcPort,
    private readonly options: RpcPeerOptions = {},
  ) {
    port.on('message', (m) => this.receive(m));
  }

  /** Serves `impl` under `name`: its own and inherited methods answer calls. */
  serve(name: string, impl: object): void {
    this.served.set(name, impl);
  }

  call<T>(service: string, method: string, args?: unknown, transfer?: ArrayBuffer[]): Promise<T> {
    if (this.closedBecause !== null) return Promise.reject(new RpcError(this.closedBecause, 'RpcClosed'));
    const { id, answer } = this.pending.begin<T>(`${service}.${method}`);
    this.port.postMessage({ rpc: 'call', id, service, method, args } satisfies RpcMessage, transfer);
    return answer;
  }

  /** A typed proxy of the service the other end serves under `name`. */
  remote<S extends object>(name: string): Remote<S> {
    return new Proxy({} as Remote<S>, {
      get: (_target, method) =>
        // Not a thenable: `await peer.remote(...)` must not call a remote "then".
        typeof method !== 'string' || method === 'then' ? undefined : (args?: unknown) => this.call(name, method, args),
    });
  }

  emit(name: string, payload?: unknown, transfer?: ArrayBuffer[]): void {
    if (this.closedBecause !== null) return;
    this.port.postMessage({ rpc: 'event', name, payload } satisfies RpcMessage, transfer);
  }

  on(name: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The other end is gone: outstanding and later calls fail with `reason`. */
  close(reason: string): void {
    this.closedBecause ??= reason;
    this.pending.rejectAll(() => new RpcError(reason, 'RpcClosed'));
  }

  get outstanding(): number {
    return this.pending.size;
  }

  private receive(m: unknown): void {
    if (!isRpcMessage(m)) return this.options.onOther?.(m);
    switch (m.rpc) {
      case 'call':
        void this.answer(m);
        break;
      case 'reply':
        if (m.ok) this.pending.resolve(m.id, m.result);
        else this.pending.reject(m.id, new RpcError(m.error, m.kind));
        break;
      case 'event':
        for (const l of [...(this.listeners.get(m.name) ?? [])]) l(m.payload);
        break;
    }
  }

  private async answer(m: Extract<RpcMessage, { rpc: 'call' }>): Promise<void> {
    let reply: RpcMessage;
    try {
      const impl = this.served.get(m.service);
      const fn = impl && m.method !== 'constructor' ? (impl as Record<string, unknown>)[m.method] : undefined;
      if (typeof fn !== 'function' || Object.prototype.hasOwnProperty.call(Object.prototype, m.method)) {
        throw new RpcError(`no method ${m.service}.${m.method}`, 'RpcUnknownMethod');
      }
      const result = await (fn as (args: unknown) => unknown).call(impl, m.args);
      reply = { rpc: 'reply', id: m.id, ok: true, result };
    } catch (err) {
      const parts = errorParts(err);
      reply = { rpc: 'reply', id: m.id, ok: false, kind: parts.kind, error: this.options.describeError?.(err) ?? parts.error };
    }
    try {
      this.port.postMessage(reply);
    } catch (err) {
      // A result that cannot be cloned (a function, a class instance with a native handle).
      this.port.postMessage({ rpc: 'reply', id: m.id, ok: false, kind: 'RpcCloneError', error: `${m.service}.${m.method}: ${errorParts(err).error}` } satisfies RpcMessage);
    }
  }
}
