// The renderer's one way to talk to the engine. In Electron the preload exposes a
// PayopsApi as `window.payops`; in a browser (the loopback web host) the same API runs
// over a WebSocket at /api, authenticated by the token the host printed in the page URL.
import type {
  ApiArgs,
  ApiPushName,
  ApiPushes,
  ApiRequestName,
  ApiResults,
  PayopsApi,
  WireMessage,
  WireRequest,
} from '../../../shared/api';
import { WIRE_MAX_REQUEST_BYTES } from '../../../shared/wireLimits';
import { PendingCalls } from '../../../shared/rpc';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../../../shared/backoff';

declare global {
  interface Window {
    payops?: PayopsApi;
  }
}

export type TransportKind = 'ipc' | 'ws';
/** `connecting`: a socket is being opened; `open`: requests flow; `lost`: waiting to retry. */
export type TransportState = 'connecting' | 'open' | 'lost';

export interface TransportStatus {
  kind: TransportKind;
  state: TransportState;
  /** Failed attempts since the last successful open. */
  attempt: number;
  /** When the next reconnect attempt starts (epoch ms), while `lost`. */
  retryAt: number | null;
  /** Times the transport came back after being lost (the app refetches history then). */
  reconnects: number;
  error: string | null;
}

export interface PayopsClient extends PayopsApi {
  status(): TransportStatus;
  onStatus(listener: (status: TransportStatus) => void): () => void;
  /** Skips the backoff wait and tries to reconnect now (no-op unless lost). */
  reconnectNow(): void;
  close(): void;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly request: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type PushListeners = { [K in ApiPushName]: Set<(payload: ApiPushes[K]) => void> };

function emitPush<K extends ApiPushName>(listeners: PushListeners, name: K, payload: ApiPushes[K]): void {
  for (const l of [...listeners[name]]) {
    try {
      l(payload);
    } catch (err) {
      console.error(`payops: ${name} listener failed`, err);
    }
  }
}

/** Wraps the preload's API: the transport is always open while the window lives. */
export function createIpcClient(api: PayopsApi): PayopsClient {
  const status: TransportStatus = { kind: 'ipc', state: 'open', attempt: 0, retryAt: null, reconnects: 0, error: null };
  return {
    invoke: (name, args) => api.invoke(name, args),
    on: (name, listener) => api.on(name, listener),
    status: () => status,
    onStatus: () => () => {},
    reconnectNow: () => {},
    close: () => {},
  };
}


/** The minimum a WebSocket implementation must offer (the browser's, or a fake in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
  /** Requests made while a socket is opening wait for it, up to this many. */
  maxQueued?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
  random?: () => number;
}

const OPEN = 1;

export function createWsClient(options: WsClientOptions): PayopsClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxQueued = options.maxQueued ?? 200;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;

  const pushListeners: PushListeners = { snapshot: new Set(), alert: new Set(), menu: new Set() };
  const statusListeners = new Set<(s: TransportStatus) => void>();
  const pending = new PendingCalls({ set: setTimer, clear: clearTimer });
  let queued: string[] = [];
  let socket: SocketLike | null = null;
  let retryTimer: unknown = null;
  let closed = false;
  let everOpened = false;
  let status: TransportStatus = { kind: 'ws', state: 'connecting', attempt: 0, retryAt: null, reconnects: 0, error: null };

  function setStatus(patch: Partial<TransportStatus>): void {
    status = { ...status, ...patch };
    for (const l of [...statusListeners]) l(status);
  }

  function failAll(message: string): void {
    pending.rejectAll((name) => new ApiError(message, name));
    queued = [];
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: WireMessage;
    try {
      msg = JSON.parse(data) as WireMessage;
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if (msg.kind === 'response') {
      if (msg.ok) pending.resolve(msg.id, msg.result);
      else pending.reject(msg.id, (name) => new ApiError(String(msg.error ?? 'request failed'), name));
    } else if (msg.kind === 'push') {
      if (Object.prototype.hasOwnProperty.call(pushListeners, msg.name)) {
        emitPush(pushListeners, msg.name, msg.payload as never);
      }
    }
  }

  function connect(): void {
    if (closed) return;
    retryTimer = null;
    setStatus({ state: 'connecting', retryAt: null });
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (err) {
      scheduleRetry(err instanceof Error ? err.message : String(err));
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      const wasReconnect = everOpened;
      everOpened = true;
      const toSend = queued;
      queued = [];
      for (const frame of toSend) s.send(frame);
      setStatus({
        state: 'open',
        attempt: 0,
        retryAt: null,
        error: null,
        reconnects: status.reconnects + (wasReconnect ? 1 : 0),
      });
    };
    s.onmessage = (ev) => {
      if (socket === s) handleMessage(ev.data);
    };
    s.onerror = () => {
      // A close event always follows; it carries the state change.
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      const reason = ev?.reason ? `${ev.reason}` : everOpened ? 'connection lost' : 'cannot connect';
      failAll('connection lost');
      if (!closed) scheduleRetry(reason);
    };
  }

  function scheduleRetry(error: string): void {
    const attempt = status.attempt + 1;
    const delay = backoffDelay(attempt, backoff, random);
    setStatus({ state: 'lost', attempt, retryAt: now() + delay, error });
    retryTimer = setTimer(connect, delay);
  }

  function invoke<K extends ApiRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]> {
    if (closed) return Promise.reject(new ApiError('client closed', name));
    if (status.state === 'lost') return Promise.reject(new ApiError('connection lost', name));
    let frame = '';
    const { id, answer } = pending.begin<ApiResults[K]>(name, requestTimeoutMs, () => {
      queued = queued.filter((f) => f !== frame);
      return new ApiError(`${name}: no answer within ${Math.round(requestTimeoutMs / 1000)} s`, name);
    });
    frame = JSON.stringify({ kind: 'request', id, name, args: args ?? {} } satisfies WireRequest);
    const bytes = oversizeBytes(frame);
    if (bytes !== null) {
      // The host would close the socket on it (1009), and every pending request would fail as
      // "connection lost": refuse this one alone, saying why.
      pending.reject(id, new ApiError(`${name}: request too large (${megabytes(bytes)}; the console accepts at most ${megabytes(WIRE_MAX_REQUEST_BYTES)})`, name));
      return answer;
    }
    if (socket && socket.readyState === OPEN && status.state === 'open') {
      socket.send(frame);
    } else if (queued.length < maxQueued) {
      queued.push(frame);
    } else {
      pending.reject(id, new ApiError('too many requests waiting for the connection', name));
    }
    return answer;
  }

  connect();

  return {
    invoke,
    on(name, listener) {
      const set = pushListeners[name] as Set<typeof listener>;
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    reconnectNow() {
      if (closed || status.state !== 'lost') return;
      if (retryTimer !== null) clearTimer(retryTimer);
      connect();
    },
    close() {
      closed = true;
      if (retryTimer !== null) clearTimer(retryTimer);
      failAll('client closed');
      socket?.close(1000, 'closing');
      socket = null;
    },
  };
}

/** The frame's size in UTF-8 bytes when it is past the host's limit, else null. */
function oversizeBytes(frame: string): number | null {
  // A UTF-16 unit is at most 3 bytes of UTF-8: most frames need no counting.
  if (frame.length * 3 <= WIRE_MAX_REQUEST_BYTES) return null;
  const bytes = new TextEncoder().encode(frame).byteLength;
  return bytes > WIRE_MAX_REQUEST_BYTES ? bytes : null;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The WebSocket URL for a page served by the web host: same host, /api, the page's token. */
export function wsUrlFor(location: { protocol: string; host: string; search: string }): { url: string; token: string | null } {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return { url: `${scheme}://${location.host}/api${query}`, token };
}

/** The page's address without its token (and its other query parameters kept). */
export function addressWithoutToken(href: string): string {
  const u = new URL(href);
  u.searchParams.delete('token');
  return u.toString();
}

let singleton: PayopsClient | null = null;
/** The page was opened with its token (before it left the address bar). */
let openedWithToken = false;

/** The app's client: the preload's API in Electron, the WebSocket transport otherwise. */
export function getClient(): PayopsClient {
  if (singleton) return singleton;
  if (typeof window !== 'undefined' && window.payops) {
    singleton = createIpcClient(window.payops);
  } else {
    const { url, token } = wsUrlFor(window.location);
    singleton = createWsClient({ url });
    if (token) {
      openedWithToken = true;
      // Out of the address bar, the browser's history and a shared screenshot: the client keeps
      // it for reconnecting, and a reload gets in with the host's cookie.
      window.history.replaceState(window.history.state, '', addressWithoutToken(window.location.href));
    }
  }
  return singleton;
}

/** True when the page was opened by the web host without its access token. */
export function missingToken(): boolean {
  return typeof window !== 'undefined' && !window.payops && !openedWithToken && !new URLSearchParams(window.location.search).get('token');
}
