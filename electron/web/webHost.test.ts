// Real HTTP and WebSocket on 127.0.0.1 with port 0, against an in-test backend built from
// plain functions (the engine's own backend is tested with the engine).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AlertNotification } from '../../shared/alerts';
import type { ApiParsedArgs, ApiPushes, ApiPushName, ApiRequestName, WireMessage } from '../../shared/api';
import { servicesFrom } from '../../test/support/apiServices';
import type { EngineSnapshot } from '../../shared/metrics';
import { emptySnapshot } from '../../test/support/emptySnapshot';
import { waitFor } from '../../test/support/waitFor';
import type { ApiBackend } from '../core/host/apiBackend';
import { startWebHost, webCsp, type WebHost, type WebHostOptions } from './webHost';
function fakeSnapshot(extra: Partial<EngineSnapshot> = {}): EngineSnapshot {
  const now = Date.now();
  return emptySnapshot(now, { session: 'demo', connection: { state: 'demo', url: null, since: now, attempts: 0, lastError: null }, ...extra });
}

function fakeAlert(extra: Partial<AlertNotification> = {}): AlertNotification {
  return {
    kind: 'firing',
    rule: 'decline-rate-high',
    severity: 'critical',
    labels: { merchant: 'acme', currency: 'EUR' },
    value: 0.42,
    summary: 'decline rate above 30%',
    at: Date.now(),
    ...extra,
  };
}

interface TestBackend {
  backend: ApiBackend;
  emit<K extends ApiPushName>(name: K, payload: ApiPushes[K]): void;
  listenerCount(): number;
  calls: Array<{ name: string; args: unknown }>;
}

type TestHandlers = { [K in ApiRequestName]?: (args: ApiParsedArgs<K>) => unknown };

function makeTestBackend(overrides: TestHandlers = {}): TestBackend {
  const listeners: { [K in ApiPushName]: Set<(p: ApiPushes[K]) => void> } = { snapshot: new Set(), alert: new Set(), menu: new Set() };
  const calls: Array<{ name: string; args: unknown }> = [];
  const record = <T>(name: string, args: unknown, value: T): T => {
    calls.push({ name, args });
    return value;
  };
  // Only the handlers these tests call (plus overrides): the rest are absent on purpose.
  const handlers: TestHandlers = {
    'app.info': (a) => record('app.info', a, { version: '0.0.0-test', host: 'electron', readOnly: false, demo: true, dbFile: null }),
    'engine.snapshot': (a) => record('engine.snapshot', a, fakeSnapshot()),
    'metrics.history': (a) => record('metrics.history', a, { throughput: [], queueDepth: [] }),
    'profiles.list': (a) => record('profiles.list', a, { profiles: [], activeId: null }),
    'profiles.save': (a) => record('profiles.save', a, { ...a.profile, hasPassword: a.password !== undefined }),
    'profiles.delete': (a) => record('profiles.delete', a, { deleted: true }),
    'profiles.test': (a) => record('profiles.test', a, { ok: false, message: 'offline', latencyMs: null, serverVersion: null }),
    'profiles.connect': (a) => record('profiles.connect', a, { ok: true, message: 'connected' }),
    'demo.start': (a) => record('demo.start', a, { ok: true }),
    'demo.stop': (a) => record('demo.stop', a, { ok: true }),
    'alerts.list': (a) => record('alerts.list', a, { alerts: [] }),
    ...overrides,
  };
  const backend: ApiBackend = {
    services: servicesFrom((name, args) => {
      const handler = handlers[name] as ((a: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`the test backend has no ${name}`);
      return handler(args);
    }),
    subscribe(name, listener) {
      const set = listeners[name] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    close: async () => {},
  };
  return {
    backend,
    calls,
    emit(name, payload) {
      for (const l of listeners[name] as Set<(p: typeof payload) => void>) l(payload);
    },
    listenerCount: () => listeners.snapshot.size + listeners.alert.size,
  };
}

// --- fixtures -----------------------------------------------------------------------------

let tmp: string;
let rendererDir: string;
const hosts: WebHost[] = [];
const sockets: WebSocket[] = [];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-web-'));
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>payops</title><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("payops");');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  fs.writeFileSync(path.join(rendererDir, '.env'), 'DOTFILE');
  try {
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  } catch {
    /* symlinks unavailable: that case is simply not exercised */
  }
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const h of hosts.splice(0)) await h.close();
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(overrides: Partial<WebHostOptions> = {}, test = makeTestBackend()): Promise<{ host: WebHost; test: TestBackend }> {
  const host = await startWebHost({ backend: test.backend, rendererDir, port: 0, ...overrides });
  hosts.push(host);
  return { host, test };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(host: WebHost, pathAndQuery: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathAndQuery, method, headers: { Host: `127.0.0.1:${host.port}`, ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends bytes exactly as written (no client-side path normalisation) and returns the status. */
function rawStatus(port: number, requestLine: string, headers: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
    socket.write(`${requestLine}\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`);
  });
}

/** The page cookie (name=value) the host sets when the printed URL is opened. */
async function cookieFor(host: WebHost): Promise<string> {
  const page = await get(host, `/?token=${host.token}`);
  return String(page.headers['set-cookie']?.[0]).split(';')[0];
}

function connect(host: WebHost, opts: { token?: string | null; origin?: string | null; hostHeader?: string; cookie?: string } = {}): Promise<WebSocket> {
  const token = opts.token === undefined ? host.token : opts.token;
  const url = `ws://127.0.0.1:${host.port}/api${token === null ? '' : `?token=${token}`}`;
  const headers: Record<string, string> = {};
  if (opts.hostHeader) headers.Host = opts.hostHeader;
  if (opts.cookie) headers.Cookie = opts.cookie;
  const origin = opts.origin === undefined ? `http://127.0.0.1:${host.port}` : opts.origin;
  const ws = new WebSocket(url, { headers, ...(origin === null ? {} : { origin }) });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

class Client {
  private nextId = 1;
  readonly messages: WireMessage[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(String(d)) as WireMessage);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  sendRaw(text: string): void {
    this.ws.send(text);
  }
  async request(name: string, args: unknown): Promise<WireMessage> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ kind: 'request', id, name, args }));
    return this.waitFor((m) => m.kind === 'response' && m.id === id);
  }
  async waitFor(pred: (m: WireMessage) => boolean, timeoutMs = 5000): Promise<WireMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

// --- tests --------------------------------------------------------------------------------

describe('binding', () => {
  it('binds 127.0.0.1 only, never 0.0.0.0', async () => {
    const { host } = await start();
    expect(host.address).toBe('127.0.0.1');
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    // Another loopback address on the same port is not served (a wildcard bind would answer).
    if (process.platform === 'linux') {
      const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        const s = net.connect(host.port, '127.0.0.2');
        s.once('connect', () => {
          s.destroy();
          resolve(null);
        });
        s.once('error', (e) => resolve(e));
      });
      expect(err?.code).toBe('ECONNREFUSED');
    }
  });

  it('holds ::1 on the same port too, so no other process can answer localhost:<port>', async () => {
    const v6 = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!v6) return; // no IPv6 loopback on this machine: nothing to hold
    const { host } = await start();
    // A browser opening http://localhost:<port>/ tries ::1 first: a squatter there would get the token.
    const squat = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const squatter = net.createServer().once('error', (e) => resolve(e));
      squatter.listen({ port: host.port, host: '::1', exclusive: true }, () => squatter.close(() => resolve(null)));
    });
    expect(squat?.code).toBe('EADDRINUSE');
    const page = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '::1', port: host.port, path: `/?token=${host.token}`, headers: { Host: `localhost:${host.port}` }, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(page).toBe(200);
  });

  it('serves http://[::1]:<port>/ and its WebSocket, and refuses any other IPv6 Host or Origin', async () => {
    const v6 = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!v6) return; // no IPv6 loopback on this machine: the host does not listen there
    const { host } = await start();
    const overV6 = (hostHeader: string, pathAndQuery = `/?token=${host.token}`) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '::1', port: host.port, path: pathAndQuery, headers: { Host: hostHeader }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await overV6(`[::1]:${host.port}`)).toBe(200);
    expect(await overV6(`[::1]:${host.port}`, '/')).toBe(401);
    for (const h of [`[::1]:${host.port + 1}`, '[::1]', '::1', `::1:${host.port}`, `[::2]:${host.port}`, `[0:0:0:0:0:0:0:1]:${host.port}`, `[::ffff:127.0.0.1]:${host.port}`, `[::1]:${host.port}.evil.example`]) {
      expect(await overV6(h), h).toBe(403);
    }
    // The page opened at [::1] opens its WebSocket to the same origin.
    const ws = new WebSocket(`ws://[::1]:${host.port}/api?token=${host.token}`, { origin: `http://[::1]:${host.port}` });
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once('error', reject);
    });
    await expect(connect(host, { origin: `http://[::1]:${host.port + 1}` })).rejects.toThrow(/403/);
    await expect(connect(host, { hostHeader: `[::1]:${host.port + 1}` })).rejects.toThrow(/403/);
  });

  it('refuses a fixed port whose ::1 side another process holds, and frees the 127.0.0.1 side', async () => {
    const squatter = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      squatter.once('error', () => resolve(false));
      squatter.listen({ port: 0, host: '::1', exclusive: true, ipv6Only: true }, () => resolve(true));
    });
    if (!ok) return;
    try {
      const port = (squatter.address() as net.AddressInfo).port;
      await expect(start({ port })).rejects.toThrow(new RegExp(`port ${port} is taken on ::1 by another process`));
      const v4 = net.createServer();
      await new Promise<void>((resolve, reject) => {
        v4.once('error', reject);
        v4.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve());
      });
      await new Promise<void>((r) => v4.close(() => r()));
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });

  it('refuses any host but 127.0.0.1', async () => {
    const test = makeTestBackend();
    await expect(
      startWebHost({ backend: test.backend, rendererDir, port: 0, host: '0.0.0.0' as unknown as '127.0.0.1' }),
    ).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('each start has a fresh token', async () => {
    const a = await start();
    const b = await start();
    expect(a.host.token).not.toBe(b.host.token);
  });
});

describe('HTTP', () => {
  it('401 without a token, for the page and for assets', async () => {
    const { host } = await start();
    for (const p of ['/', '/index.html', '/assets/app.js', '/api']) {
      const r = await get(host, p);
      expect(r.status, p).toBe(401);
      expect(r.body).not.toContain('payops</title>');
    }
  });

  it('403 with a wrong token, in the query or the cookie', async () => {
    const { host } = await start();
    expect((await get(host, `/?token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await get(host, '/?token=short')).status).toBe(403);
    expect((await get(host, '/assets/app.js', { Cookie: `payops_page_${host.port}=${'f'.repeat(64)}` })).status).toBe(403);
  });

  it('serves the page with the token, sets an HttpOnly SameSite=Strict cookie, then assets load by cookie', async () => {
    const { host } = await start();
    const page = await get(host, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^payops_page_${host.port}=[0-9a-f]{64};`));
    expect(setCookie).not.toContain(host.token);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const js = await get(host, '/assets/app.js', { Cookie: await cookieFor(host) });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('payops');
    const css = await get(host, '/assets/app.css', { Cookie: await cookieFor(host) });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // SPA routes without an extension give index.html; missing files 404.
    expect((await get(host, '/alerts', { Cookie: await cookieFor(host) })).body).toContain('<title>payops</title>');
    expect((await get(host, '/assets/missing.js', { Cookie: await cookieFor(host) })).status).toBe(404);
    const head = await get(host, '/index.html', { Cookie: await cookieFor(host) }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it("the CSP lets the page open WebSockets to its own port only, not to other local apps'", async () => {
    const { host } = await start();
    const csp = String((await get(host, `/?token=${host.token}`)).headers['content-security-policy']);
    const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src '));
    expect(connect).toBe(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`);
  });

  it('sends the strict CSP and the other security headers on every response, errors too', async () => {
    const { host } = await start();
    expect(webCsp(host.port)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        `connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    );
    for (const r of [await get(host, `/?token=${host.token}`), await get(host, '/'), await get(host, '/assets/nope.js', { Cookie: await cookieFor(host) })]) {
      expect(r.headers['content-security-policy']).toBe(webCsp(host.port));
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const { host } = await start();
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const r = await get(host, `/?token=${host.token}`, { Host: h });
      expect(r.status, h).toBe(403);
      expect(r.body).toContain('Host');
    }
    expect((await get(host, `/?token=${host.token}`, { Host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin, cross-site subresource requests and state-changing methods', async () => {
    const { host } = await start();
    const cookie = { Cookie: await cookieFor(host) };
    expect((await get(host, '/assets/app.js', { ...cookie, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(host, '/assets/app.js', { ...cookie, Origin: 'null' })).status).toBe(403);
    expect((await get(host, '/assets/app.js', { ...cookie, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(403);
    // Another port on 127.0.0.1 is the same site: the cookie would go along, fetch metadata stops it.
    expect((await get(host, '/assets/app.js', { ...cookie, 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(403);
    expect((await get(host, '/assets/app.js', { ...cookie, 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'no-cors' })).status).toBe(200);
    expect((await get(host, '/', { ...cookie, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' })).status).toBe(200);
    expect((await get(host, '/', { ...cookie, Origin: 'https://evil.example' }, 'POST')).status).toBe(403);
    expect((await get(host, '/', { ...cookie, Origin: `http://127.0.0.1:${host.port}` }, 'POST')).status).toBe(405);
    expect((await get(host, '/', cookie, 'DELETE')).status).toBe(405);
  });

  it('refuses path traversal in every spelling', async () => {
    const { host } = await start();
    const headers = [`Host: 127.0.0.1:${host.port}`, `Cookie: ${await cookieFor(host)}`];
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/..\\..\\secret.txt',
      '/%00index.html',
      '/.env',
      '/assets/link.txt',
      '/C:/Windows/win.ini',
      '/%E0%A4%A',
    ]) {
      const r = await rawStatus(host.port, `GET ${p} HTTP/1.1`, headers);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.text, p).not.toContain('TOP SECRET');
      expect(r.text, p).not.toContain('DOTFILE');
    }
  });
});

describe('WebSocket', () => {
  it('refuses the upgrade without a token, with a wrong one, from a foreign Origin or Host', async () => {
    const { host } = await start();
    await expect(connect(host, { token: null })).rejects.toThrow(/401/);
    await expect(connect(host, { token: 'a'.repeat(64) })).rejects.toThrow(/403/);
    await expect(connect(host, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(host, { origin: `http://127.0.0.1:${host.port + 1}` })).rejects.toThrow(/403/);
    await expect(connect(host, { hostHeader: 'evil.example' })).rejects.toThrow(/403/);
    expect(host.stats().clients).toBe(0);
  });

  it('accepts the token from both loopback origins, never the page cookie alone', async () => {
    const { host } = await start();
    await expect(connect(host, { token: null, cookie: await cookieFor(host) })).rejects.toThrow(/401/);
    await connect(host, { cookie: await cookieFor(host) });
    await connect(host, { origin: `http://localhost:${host.port}` });
    await connect(host, { origin: null });
    expect(host.stats().clients).toBe(3);
  });

  it('answers requests, validates arguments first and reports errors as clear messages', async () => {
    const bad = new Error('database is locked');
    bad.stack = 'Error: database is locked\n    at secretFunction (/home/op/payops/dist/electron/core/store.js:10:5)';
    const { host, test } = await start({}, makeTestBackend({ 'demo.stop': () => Promise.reject(bad) }));
    const c = new Client(await connect(host));

    const info = await c.request('app.info', {});
    expect(info).toMatchObject({ kind: 'response', ok: true, result: { version: '0.0.0-test', host: 'web' } });

    const started = await c.request('demo.start', {});
    expect(started).toMatchObject({ ok: true, result: { ok: true } });
    // Defaults are applied by the schema before the handler sees the arguments (the demo's story: the decline spike).
    expect(test.calls.find((x) => x.name === 'demo.start')?.args).toEqual({ scenario: 'decline-spike', rate: 200 });

    const badArgs = await c.request('metrics.history', { minutes: 0 });
    expect(badArgs).toMatchObject({ ok: false });
    expect((badArgs as { error: string }).error).toMatch(/^metrics\.history: minutes: /);

    const extra = await c.request('engine.snapshot', { evil: true });
    expect(extra).toMatchObject({ ok: false });
    expect((extra as { error: string }).error).toMatch(/^engine\.snapshot: /);

    const unknown = await c.request('fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: 'unknown request "fs.readFile"' });
    expect(test.calls.some((x) => x.name === 'metrics.history' || x.name === 'engine.snapshot')).toBe(false);

    const failed = await c.request('demo.stop', {});
    expect(failed).toMatchObject({ ok: false, error: 'database is locked' });
    expect(JSON.stringify(failed)).not.toContain('secretFunction');

    c.sendRaw('not json');
    expect(await c.waitFor((m) => m.kind === 'response' && m.id === -1)).toMatchObject({ ok: false, error: 'invalid message: not JSON' });
    c.sendRaw(JSON.stringify({ kind: 'request', id: 77, args: {} }));
    expect(await c.waitFor((m) => m.kind === 'response' && m.id === 77)).toMatchObject({ ok: false });

    // The socket is still good after all that.
    expect(await c.request('demo.stop', {})).toMatchObject({ ok: false });
    expect(await c.request('alerts.list', {})).toMatchObject({ ok: true, result: { alerts: [] } });
  });

  it('closes a socket that sends more than maxPayload', async () => {
    const { host } = await start({ maxPayloadBytes: 1024 });
    const ws = await connect(host);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ kind: 'request', id: 1, name: 'app.info', args: { pad: 'x'.repeat(4096) } }));
    expect(await closed).toBe(1009);
  });

  it('accepts the largest request the contract allows (a rules text of 512 Ki characters, each escaped in JSON)', async () => {
    let validatedChars = 0;
    const validate = (a: ApiParsedArgs<'rules.validate'>) => {
      validatedChars = a.text.length;
      return { ok: true, issues: [], rules: 0 };
    };
    const { host } = await start({}, makeTestBackend({ 'rules.validate': validate }));
    const c = new Client(await connect(host));
    // A control character is the costliest in JSON: six bytes ("\u0001") per character of the text.
    const text = '\u0001'.repeat(512 * 1024);
    const closed = new Promise<number>((resolve) => c.ws.on('close', (code) => resolve(code)));
    const answer = await Promise.race([c.request('rules.validate', { text, format: 'yaml' }), closed.then((code) => ({ closed: code }))]);
    expect(answer).toMatchObject({ kind: 'response', ok: true });
    expect(validatedChars).toBe(512 * 1024);
  });

  it('forwards snapshot and alert pushes to every open socket, and unsubscribes on close', async () => {
    const { host, test } = await start();
    const a = new Client(await connect(host));
    const b = new Client(await connect(host));
    expect(test.listenerCount()).toBe(2);
    test.emit('snapshot', fakeSnapshot({ lastEventAt: 1234 }));
    test.emit('alert', fakeAlert({ rule: 'fraud-burst' }));
    for (const c of [a, b]) {
      expect(await c.waitFor((m) => m.kind === 'push' && m.name === 'snapshot')).toMatchObject({ payload: { lastEventAt: 1234 } });
      expect(await c.waitFor((m) => m.kind === 'push' && m.name === 'alert')).toMatchObject({ payload: { rule: 'fraud-burst' } });
    }
    await hosts.pop()?.close();
    expect(test.listenerCount()).toBe(0);
  });

  it('drops snapshots for a slow socket instead of queueing them (bounded memory)', async () => {
    const dropAt = 256 * 1024;
    const { host, test } = await start({ snapshotDropBytes: dropAt });
    const ws = await connect(host);
    // Stop reading: the kernel buffers fill, then the server-side send buffer would grow.
    (ws as unknown as { _socket: net.Socket })._socket.pause();
    const big = fakeSnapshot({ totals: { events: 1, duplicates: 0, quarantined: 0, unknownTypes: 0, byType: { pad: 0 } }, connection: { state: 'demo', url: 'x'.repeat(100_000), since: 0, attempts: 0, lastError: null } });
    const msgBytes = JSON.stringify(big).length;
    let maxBuffered = 0;
    for (let i = 0; i < 2000; i++) {
      test.emit('snapshot', big);
      maxBuffered = Math.max(maxBuffered, host.stats().bufferedBytes);
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    // 2000 x 100 KB = 200 MB offered; what is held stays near the drop threshold.
    expect(host.stats().droppedSnapshots).toBeGreaterThan(1000);
    expect(maxBuffered).toBeLessThanOrEqual(dropAt + 2 * msgBytes);
    expect(host.stats().closedSlowClients).toBe(0);
    // Once it reads again it gets the next snapshot and still answers requests.
    (ws as unknown as { _socket: net.Socket })._socket.resume();
    const c = new Client(ws);
    expect(await c.request('app.info', {}), 'request after resume').toMatchObject({ ok: true });
    test.emit('snapshot', fakeSnapshot({ lastEventAt: 99 }));
    expect(await c.waitFor((m) => m.kind === 'push' && m.name === 'snapshot' && (m.payload as EngineSnapshot).lastEventAt === 99)).toBeTruthy();
  });

  it('closes a socket that stops reading altogether once its buffer passes the hard cap', async () => {
    const { host, test } = await start({ snapshotDropBytes: 64 * 1024, maxBufferedBytes: 2 * 1024 * 1024 });
    const ws = await connect(host);
    (ws as unknown as { _socket: net.Socket })._socket.pause();
    const big = fakeAlert({ summary: 'y'.repeat(100_000) });
    for (let i = 0; i < 500 && host.stats().clients > 0; i++) {
      test.emit('alert', big);
      if (i % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => host.stats().clients === 0, 'the slow client to be closed');
    expect(host.stats().closedSlowClients).toBe(1);
    expect(host.stats().clients).toBe(0);
  });

  it('limits requests in flight per socket', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { host } = await start({ maxInFlight: 2 }, makeTestBackend({ 'profiles.list': async () => (await gate, { profiles: [], activeId: null }) }));
    const c = new Client(await connect(host));
    const p1 = c.request('profiles.list', {});
    const p2 = c.request('profiles.list', {});
    const third = await c.request('profiles.list', {});
    expect(third).toMatchObject({ ok: false, error: 'too many requests in flight (at most 2)' });
    release();
    expect(await p1).toMatchObject({ ok: true });
    expect(await p2).toMatchObject({ ok: true });
  });

  it('close() ends open sockets and frees the port', async () => {
    const { host } = await start();
    const ws = await connect(host);
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    await hosts.pop()?.close();
    await closed;
    await expect(get(host, '/')).rejects.toThrow();
  });
});
