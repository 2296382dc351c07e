// The loopback web host: serves the built renderer and the same API as Electron IPC over a
// WebSocket, to a browser on this machine only. Every request needs the start-up token (static
// files also take the page cookie, which is not the token: see pageCookie); Host and Origin are
// checked (DNS rebinding, cross-site WebSocket hijacking); memory per client is
// bounded (snapshots are dropped, never queued, for a client that does not keep up).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { ApiPushName, ApiPushes, WireMessage } from '../../shared/api';
import { dispatchApiRequest, type ApiServices } from '../../shared/apiDispatch';
import { WIRE_MAX_REQUEST_BYTES } from '../../shared/wireLimits';
import type { ApiBackend } from '../core/host/apiBackend';
import { contentTypeFor, resolveStaticPath } from './staticFiles';
import {
  WEB_HOST_ADDRESS,
  buildWebUrl,
  cookieValues,
  errorMessage,
  generateToken,
  injectSessionScript,
  isAllowedHost,
  isAllowedOrigin,
  pageCookie,
  pageCookieName,
  rawHttpResponse,
  securityHeaders,
  SESSION_SCRIPT,
  SESSION_SCRIPT_PATH,
  tokenMatches,
} from './webSecurity';

export { buildWebUrl, webCsp, WEB_HOST_ADDRESS } from './webSecurity';

/** Path of the WebSocket endpoint. */
export const WEB_API_PATH = '/api';

/** IPv6 loopback: held on the same port as WEB_HOST_ADDRESS (see holdV6). */
const V6_LOOPBACK = '::1';

export interface WebHostOptions {
  backend: ApiBackend;
  /** The built renderer (dist-renderer/), with index.html at its top. */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Fixed: the host binds loopback only. Any other value is refused. */
  host?: typeof WEB_HOST_ADDRESS;
  /** Largest WebSocket message accepted from a client (bytes). Default WIRE_MAX_REQUEST_BYTES (4 MiB): every valid request fits. */
  maxPayloadBytes?: number;
  /** A snapshot is dropped for a socket whose send buffer holds more than this. Default 1 MiB. */
  snapshotDropBytes?: number;
  /** A socket whose send buffer holds more than this is closed (it is not reading). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Requests one socket may have running at once. Default 32. */
  maxInFlight?: number;
  /** Open sockets at once. Default 16. */
  maxClients?: number;
  /** TCP connections at once (pages, files and sockets); more are closed at once. Default 256. */
  maxConnections?: number;
  /** Ping interval to find dead sockets (ms). Default 30 s. */
  heartbeatMs?: number;
  /** A connection that has not sent a whole request head by then is closed (ms). Default 10 s. */
  headersTimeoutMs?: number;
  /** Overrides the token (tests only); otherwise 32 random bytes. */
  token?: string;
}

export interface WebHostStats {
  clients: number;
  /** Bytes waiting in the send buffers of all open sockets (bounded by the drop rules). */
  bufferedBytes: number;
  droppedSnapshots: number;
  closedSlowClients: number;
}

export interface WebHost {
  /** http://127.0.0.1:<port>/?token=<token>: the one line to print. */
  url: string;
  port: number;
  /** The address actually bound: always 127.0.0.1. */
  address: string;
  token: string;
  stats(): WebHostStats;
  /** Closes sockets and the server. Does not close the backend (its owner does). */
  close(): Promise<void>;
}

const DEFAULTS = {
  maxPayloadBytes: WIRE_MAX_REQUEST_BYTES,
  snapshotDropBytes: 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxInFlight: 32,
  maxClients: 16,
  maxConnections: 256,
  heartbeatMs: 30_000,
  headersTimeoutMs: 10_000,
};

interface ClientState {
  inFlight: number;
  alive: boolean;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (options.host !== undefined && options.host !== WEB_HOST_ADDRESS) {
    throw new Error(`the web host binds ${WEB_HOST_ADDRESS} only (got ${String(options.host)})`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`invalid port ${String(options.port)}`);
  }
  const cfg = {
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes,
    snapshotDropBytes: options.snapshotDropBytes ?? DEFAULTS.snapshotDropBytes,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
    maxInFlight: options.maxInFlight ?? DEFAULTS.maxInFlight,
    maxClients: options.maxClients ?? DEFAULTS.maxClients,
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
  };
  const { backend, rendererDir } = options;
  // What this host says about itself; every other service is the backend's.
  const services: ApiServices = {
    ...backend.services,
    app: { info: async (args) => ({ ...(await backend.services.app.info(args)), host: 'web' }) },
  };
  const token = options.token ?? generateToken();
  // The page cookie's value: opens static files only, never the API (cookies leak across ports).
  const pageKey = generateToken();
  let port = options.port;
  const stats = { droppedSnapshots: 0, closedSlowClients: 0 };
  const clients = new Map<WebSocket, ClientState>();

  const server = http.createServer({
    maxHeaderSize: 16 * 1024,
    headersTimeout: cfg.headersTimeoutMs,
    requestTimeout: Math.max(30_000, cfg.headersTimeoutMs),
    // Node looks for expired requests only this often (30 s by default), so a slow-loris
    // client trickling header bytes would hold its socket up to 40 s instead of 10.
    connectionsCheckingInterval: Math.min(1_000, cfg.headersTimeoutMs),
  });
  // Any local process may connect (the token is checked per request): without a cap, a flood of
  // idle sockets would take the file descriptors the engine's database and broker need too.
  server.maxConnections = cfg.maxConnections;
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.maxPayloadBytes, perMessageDeflate: false });

  // --- HTTP -------------------------------------------------------------------------------

  function send(res: http.ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      ...securityHeaders(port),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': String(Buffer.byteLength(body)),
      ...extra,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  /**
   * 'ok', or why not: 'missing' (401) or 'wrong' (403). The query's token opens everything; the
   * page cookie (when `cookieAllowed`: static files) only what it was made for.
   */
  function checkToken(req: http.IncomingMessage, url: URL, cookieAllowed: boolean): 'ok' | 'missing' | 'wrong' {
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) return tokenMatches(token, queryToken) ? 'ok' : 'wrong';
    if (!cookieAllowed) return 'missing';
    // Any of them may be ours: one tossed in by another local page must not lock the console out.
    const cookies = cookieValues(req.headers.cookie, pageCookieName(port));
    if (cookies.length === 0) return 'missing';
    return cookies.some((value) => tokenMatches(pageKey, value)) ? 'ok' : 'wrong';
  }

  /** Checks shared by plain requests and upgrades; returns a refusal or null. */
  function refuse(req: http.IncomingMessage, url: URL | null, cookieAllowed: boolean): { status: number; reason: string } | null {
    if (!isAllowedHost(req.headers.host, port)) return { status: 403, reason: 'forbidden: unexpected Host header' };
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSocket and on cross-origin or state-changing requests;
    // one that is not ours is refused. (Non-browser clients without Origin still need the token.)
    if (origin !== undefined && !isAllowedOrigin(origin, port)) return { status: 403, reason: 'forbidden: foreign Origin' };
    // Fetch metadata: a subresource or socket requested by another page (another port on
    // 127.0.0.1 is 'same-site', and would carry the SameSite cookie) is refused.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && req.headers['sec-fetch-mode'] !== 'navigate') {
      return { status: 403, reason: `forbidden: ${String(site)} request` };
    }
    if (!url) return { status: 400, reason: 'bad request' };
    const auth = checkToken(req, url, cookieAllowed);
    if (auth === 'missing') return { status: 401, reason: 'unauthorized: open the URL printed at start (it carries the token)' };
    if (auth === 'wrong') return { status: 403, reason: 'forbidden: wrong token' };
    return null;
  }

  function parseUrl(req: http.IncomingMessage): URL | null {
    try {
      return new URL(req.url ?? '/', `http://${WEB_HOST_ADDRESS}:${port}`);
    } catch {
      return null;
    }
  }

  // Sockets with a response under way: a parse error there cannot be answered in the same stream.
  const responding = new WeakSet<net.Socket | Duplex>();

  // Node answers a request it cannot parse (or whose head is too large or too slow) with bare
  // bytes and no headers; this answer carries the security headers every response has.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable || responding.has(socket)) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : 400;
    const reason = status === 431 ? 'request head too large' : status === 408 ? 'request timed out' : status === 413 ? 'request too large' : 'bad request';
    socket.end(rawHttpResponse(port, status, reason));
    socket.destroy();
  });

  server.on('request', (req, res) => {
    responding.add(req.socket);
    res.on('close', () => responding.delete(req.socket));
    // No endpoint takes a body. Node would read one to its end after the answer (to keep the
    // connection alive), for as long as the client sends: close instead, once answered.
    if (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) {
      res.setHeader('Connection', 'close');
    }
    try {
      const url = parseUrl(req);
      const refusal = refuse(req, url, true);
      if (refusal) return send(res, refusal.status, refusal.reason);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
      }
      const u = url as URL;
      if (u.pathname === WEB_API_PATH) return send(res, 426, 'upgrade required: this endpoint speaks WebSocket', { Upgrade: 'websocket' });
      const extra: Record<string, string> = {};
      if (u.searchParams.has('token')) extra['Set-Cookie'] = pageCookie(port, pageKey);
      if (u.pathname === SESSION_SCRIPT_PATH) {
        return send(res, 200, SESSION_SCRIPT, { ...extra, 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
      }
      serveFile(req, res, u.pathname, extra);
    } catch (error) {
      send(res, 500, 'internal error');
      void error;
    }
  });

  function serveFile(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, extra: Record<string, string>): void {
    const resolved = resolveStaticPath(rendererDir, pathname);
    if (resolved.kind === 'bad-request') return send(res, 400, 'bad request', extra);
    if (resolved.kind === 'forbidden') return send(res, 403, 'forbidden', extra);
    if (resolved.kind === 'not-found') return send(res, 404, 'not found', extra);
    const file = resolved.file;
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return send(res, 404, 'not found', extra);
    }
    const isHtml = file.toLowerCase().endsWith('.html');
    if (isHtml) {
      // Pages are small: read, put the session script in, send.
      let html: string;
      try {
        html = injectSessionScript(fs.readFileSync(file, 'utf8'));
      } catch {
        return send(res, 404, 'not found', extra);
      }
      return send(res, 200, html, { ...extra, 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-store' });
    }
    res.writeHead(200, {
      ...securityHeaders(port),
      'Content-Type': contentTypeFor(file),
      'Content-Length': String(size),
      'Cache-Control': 'no-cache',
      ...extra,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  // --- WebSocket upgrade -------------------------------------------------------------------

  function rejectUpgrade(socket: Duplex, status: number, reason: string, extra: Record<string, string> = {}): void {
    socket.end(rawHttpResponse(port, status, reason, extra));
    socket.destroy();
  }

  // ws answers a malformed handshake (not GET, no key, an unknown version, a bad protocol list)
  // itself, as text/html without our headers, unless this event is listened to.
  wss.on('wsClientError', (error: Error, socket: Duplex, req: http.IncomingMessage) => {
    const status = req.method === 'GET' ? 400 : 405;
    const extra: Record<string, string> = status === 405 ? { Allow: 'GET' } : /Version/.test(error.message) ? { 'Sec-WebSocket-Version': '13, 8' } : {};
    rejectUpgrade(socket, status, `bad request: ${error.message}`, extra);
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req);
    if (!url || url.pathname !== WEB_API_PATH) return rejectUpgrade(socket, 404, 'not found');
    // The API takes the token itself, never the page cookie (which other local ports receive).
    const refusal = refuse(req, url, false);
    if (refusal) return rejectUpgrade(socket, refusal.status, refusal.reason);
    if (clients.size >= cfg.maxClients) return rejectUpgrade(socket, 503, 'too many connections');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  // --- API over the socket -----------------------------------------------------------------

  function sendMessage(ws: WebSocket, message: WireMessage | string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > cfg.maxBufferedBytes) {
      // Not reading at all: close rather than hold an unbounded backlog.
      stats.closedSlowClients += 1;
      ws.terminate();
      return;
    }
    let text: string;
    try {
      text = typeof message === 'string' ? message : JSON.stringify(message);
    } catch (error) {
      if (typeof message !== 'string' && message.kind === 'response') {
        text = JSON.stringify({ kind: 'response', id: message.id, ok: false, error: `result not serialisable: ${errorMessage(error)}` });
      } else return;
    }
    ws.send(text);
  }

  function onConnection(ws: WebSocket): void {
    const state: ClientState = { inFlight: 0, alive: true };
    clients.set(ws, state);
    ws.on('pong', () => {
      state.alive = true;
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      void onMessage(ws, state, rawToString(data));
    });
  }

  async function onMessage(ws: WebSocket, state: ClientState, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return sendMessage(ws, { kind: 'response', id: -1, ok: false, error: 'invalid message: not JSON' });
    }
    const m = message as Partial<Record<string, unknown>> | null;
    const id = m && typeof m === 'object' && Number.isSafeInteger(m.id) ? (m.id as number) : -1;
    if (!m || typeof m !== 'object' || m.kind !== 'request' || id < 0 || typeof m.name !== 'string') {
      return sendMessage(ws, {
        kind: 'response',
        id,
        ok: false,
        error: 'invalid message: expected {kind:"request", id:<non-negative integer>, name:<string>, args}',
      });
    }
    if (state.inFlight >= cfg.maxInFlight) {
      return sendMessage(ws, { kind: 'response', id, ok: false, error: `too many requests in flight (at most ${cfg.maxInFlight})` });
    }
    state.inFlight += 1;
    try {
      const result = await dispatchApiRequest(services, m.name, m.args);
      sendMessage(ws, { kind: 'response', id, ok: true, result });
    } catch (error) {
      sendMessage(ws, { kind: 'response', id, ok: false, error: errorMessage(error) });
    } finally {
      state.inFlight -= 1;
    }
  }

  function broadcast<K extends ApiPushName>(name: K, payload: ApiPushes[K]): void {
    if (clients.size === 0) return;
    let text: string;
    try {
      text = JSON.stringify({ kind: 'push', name, payload } satisfies WireMessage);
    } catch {
      return;
    }
    for (const ws of clients.keys()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (name === 'snapshot' && ws.bufferedAmount > cfg.snapshotDropBytes) {
        // A newer snapshot supersedes this one: drop, never queue.
        stats.droppedSnapshots += 1;
        continue;
      }
      sendMessage(ws, text);
    }
  }

  const unsubscribers = [
    backend.subscribe('snapshot', (payload) => broadcast('snapshot', payload)),
    backend.subscribe('alert', (payload) => broadcast('alert', payload)),
  ];

  const heartbeat = setInterval(() => {
    for (const [ws, state] of clients) {
      if (!state.alive) {
        ws.terminate();
        continue;
      }
      state.alive = false;
      try {
        ws.ping();
      } catch {
        ws.terminate();
      }
    }
  }, cfg.heartbeatMs);
  heartbeat.unref();

  // --- listen ------------------------------------------------------------------------------

  const listenV4 = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      server.listen({ port: p, host: WEB_HOST_ADDRESS, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
  // A browser opening http://localhost:<port>/ tries ::1 first. Were ::1:<port> free, another
  // process could listen there and receive the page's requests (the token among them), so the
  // host holds it too, handing its connections to the same server. Not where there is no ::1.
  const holdV6 = (p: number): Promise<net.Server | 'no-ipv6' | 'in-use'> =>
    new Promise((resolve, reject) => {
      const v6server = net.createServer((socket) => server.emit('connection', socket));
      v6server.maxConnections = cfg.maxConnections;
      v6server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') resolve('in-use');
        else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' || error.code === 'EINVAL') resolve('no-ipv6');
        else reject(error);
      });
      v6server.listen({ port: p, host: V6_LOOPBACK, exclusive: true, ipv6Only: true }, () => resolve(v6server));
    });
  let v6: net.Server | null = null;
  try {
    for (let attempt = 1; ; attempt++) {
      await listenV4(options.port);
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('web host: no address after listen');
      port = address.port;
      const held = await holdV6(port);
      if (held === 'no-ipv6') break;
      if (held !== 'in-use') {
        v6 = held;
        break;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.port !== 0 || attempt >= 5) {
        throw new Error(`port ${port} is taken on ${V6_LOOPBACK} by another process: a browser opening localhost:${port} would reach it; choose another port`);
      }
    }
  } catch (error) {
    clearInterval(heartbeat);
    for (const u of unsubscribers) u();
    wss.close();
    if (server.listening) server.close();
    throw error;
  }
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('web host: no address after listen');

  let closing: Promise<void> | null = null;
  return {
    url: buildWebUrl(port, token),
    port,
    address: address.address,
    token,
    stats: () => {
      let bufferedBytes = 0;
      for (const ws of clients.keys()) bufferedBytes += ws.bufferedAmount;
      return { clients: clients.size, bufferedBytes, ...stats };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const u of unsubscribers) u();
        for (const ws of clients.keys()) ws.terminate();
        clients.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await Promise.all([
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
          new Promise<void>((resolve) => (v6 ? v6.close(() => resolve()) : resolve())),
        ]);
      })();
      return closing;
    },
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
