// Cookies ignore ports: a browser that holds the web host's cookie sends it with every request
// to 127.0.0.1, whatever the port. Another local web app therefore reads the cookie's value in
// its own requests. These tests play that app with a real HTTP server on loopback: it receives
// the cookie as a browser would send it, then tries to use it against the web host as a plain
// (non-browser) client, which can forge any header. The value must open nothing but the
// renderer's static files; the API needs the token itself, which never leaves our origin.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiBackend } from '../core/host/apiBackend';
import type { ApiServices } from '../../shared/apiDispatch';
import { startWebHost, type WebHost } from './webHost';
import { SESSION_SCRIPT_PATH } from './webSecurity';

let tmp: string;
let rendererDir: string;
const hosts: WebHost[] = [];
const servers: http.Server[] = [];
const sockets: WebSocket[] = [];

const backend: ApiBackend = {
  services: { app: { info: () => ({ version: 't', host: 'electron', readOnly: false, demo: true, dbFile: null }) } } as unknown as ApiServices,
  subscribe: () => () => {},
  close: async () => {},
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-cookie-leak-'));
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n  <head>\n    <title>payops</title>\n    <script type="module" crossorigin src="/assets/app.js"></script>\n  </head>\n  <body></body>\n</html>\n',
  );
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("payops");');
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const h of hosts.splice(0)) await h.close();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function start(): Promise<WebHost> {
  const host = await startWebHost({ backend, rendererDir, port: 0 });
  hosts.push(host);
  return host;
}

function request(port: number, pathAndQuery: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The cookie pair (name=value) the host sets when the printed URL is opened. */
async function openPrintedUrl(host: WebHost): Promise<string> {
  const page = await request(host.port, `/?token=${host.token}`, { Host: `127.0.0.1:${host.port}` });
  expect(page.status).toBe(200);
  const setCookie = page.headers['set-cookie'];
  expect(setCookie).toBeDefined();
  return String(setCookie?.[0]).split(';')[0];
}

/** Another web app on this machine, on its own port: records the Cookie header of each request. */
async function otherLocalApp(): Promise<{ port: number; cookies: string[] }> {
  const cookies: string[] = [];
  const server = http.createServer((req, res) => {
    cookies.push(req.headers.cookie ?? '');
    res.end('hello');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, cookies };
}

function upgrade(host: WebHost, query: string, headers: Record<string, string>, origin?: string): Promise<'open' | number> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers, ...(origin ? { origin } : {}) });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

describe('the cookie another local web app receives', () => {
  it('is not the token and does not open the API, whatever headers come with it', async () => {
    const host = await start();
    const cookie = await openPrintedUrl(host);
    // The browser sends every 127.0.0.1 cookie to the other app too (cookies ignore ports).
    const other = await otherLocalApp();
    await request(other.port, '/', { Host: `127.0.0.1:${other.port}`, Cookie: cookie });
    const leaked = other.cookies[0];
    expect(leaked).toBe(cookie);
    const leakedValue = leaked.slice(leaked.indexOf('=') + 1);
    expect(leakedValue).not.toBe(host.token);

    const ours = { Host: `127.0.0.1:${host.port}` };
    const origin = `http://127.0.0.1:${host.port}`;
    // Replayed as a client that forges our Host and Origin: the cookie alone opens no socket...
    expect(await upgrade(host, '', { ...ours, Cookie: leaked }, origin)).toBe(401);
    expect(await upgrade(host, '', { ...ours, Cookie: leaked })).toBe(401);
    // ...nor is its value a token.
    expect(await upgrade(host, `?token=${leakedValue}`, ours, origin)).toBe(403);
    expect(host.stats().clients).toBe(0);
  });

  it('with a foreign Origin or Host is refused on pages and upgrades; the right token passes', async () => {
    const host = await start();
    const cookie = await openPrintedUrl(host);
    const ours = `127.0.0.1:${host.port}`;
    expect((await request(host.port, '/assets/app.js', { Host: ours, Cookie: cookie, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await request(host.port, '/assets/app.js', { Host: `evil.example:${host.port}`, Cookie: cookie })).status).toBe(403);
    expect((await request(host.port, '/assets/app.js', { Host: ours, Cookie: cookie })).status).toBe(200);
    expect(await upgrade(host, `?token=${host.token}`, { Host: ours, Cookie: cookie }, 'http://127.0.0.1:1')).toBe(403);
    expect(await upgrade(host, `?token=${host.token}`, { Host: `evil.example:${host.port}`, Cookie: cookie }, `http://127.0.0.1:${host.port}`)).toBe(403);
    expect(await upgrade(host, `?token=${host.token}`, { Host: ours }, `http://127.0.0.1:${host.port}`)).toBe('open');
    expect(await upgrade(host, `?token=${host.token}`, { Host: `localhost:${host.port}` }, `http://localhost:${host.port}`)).toBe('open');
  });

  it('a reload still gets in: the page keeps the token in its own origin storage and puts it back', async () => {
    const host = await start();
    const cookie = await openPrintedUrl(host);
    const ours = { Host: `127.0.0.1:${host.port}`, Cookie: cookie };
    // A reload (no token in the address) gets the page by the cookie, with the session script
    // ahead of the app's module script, so the app finds its token before it connects.
    const page = await request(host.port, '/', ours);
    expect(page.status).toBe(200);
    const scriptAt = page.body.indexOf(`<script src="${SESSION_SCRIPT_PATH}"></script>`);
    expect(scriptAt).toBeGreaterThan(page.body.indexOf('<head>'));
    expect(scriptAt).toBeLessThan(page.body.indexOf('type="module"'));
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    const script = await request(host.port, SESSION_SCRIPT_PATH, ours);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('sessionStorage');
    expect(script.body).not.toContain(host.token);
    // Without the cookie or the token, the script is refused like every other file.
    expect((await request(host.port, SESSION_SCRIPT_PATH, { Host: `127.0.0.1:${host.port}` })).status).toBe(401);
  });
});

describe('a cookie another local web app sets', () => {
  // Cookies ignore ports: a page on another 127.0.0.1 port may set payops_page_<port> itself,
  // with a longer Path so the browser sends it ahead of ours. It must not lock the console out.
  it('beside ours, with the same name and sent first, does not stop the page files from loading', async () => {
    const host = await start();
    const ours = await openPrintedUrl(host);
    const name = ours.slice(0, ours.indexOf('='));
    const headers = { Host: `127.0.0.1:${host.port}`, Cookie: `${name}=${'0'.repeat(64)}; ${ours}` };
    expect((await request(host.port, '/assets/app.js', headers)).status).toBe(200);
    // Its value alone still opens nothing.
    expect((await request(host.port, '/assets/app.js', { ...headers, Cookie: `${name}=${'0'.repeat(64)}` })).status).toBe(403);
  });
});
