// The loopback web host in a real browser: token and cookie, CSP, and a foreign page trying to
// hijack the API WebSocket. Uses the system Chromium (PAYOPS_CHROMIUM, /usr/bin/chromium) or
// Playwright's own when installed; the host runs in-process with a small fake backend.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import type { ApiPushes, ApiPushName } from '../shared/api';
import type { ApiServices } from '../shared/apiDispatch';
import type { ApiBackend } from '../electron/core/host/apiBackend';
import { startWebHost, type WebHost } from '../electron/web/webHost';

function chromiumPath(): string | undefined {
  for (const p of [process.env.PAYOPS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && fs.existsSync(p)) return p;
  }
  return undefined;
}

const PAGE_JS = `
const out = document.getElementById('out');
// As the app does: the token from the address (the host's session script puts it back there on
// a reload, from sessionStorage); the page cookie does not open the API.
const token = new URLSearchParams(location.search).get('token');
history.replaceState(null, '', location.pathname);
const ws = new WebSocket('ws://' + location.host + '/api?token=' + encodeURIComponent(token || ''));
window.__pushes = 0;
ws.onopen = () => ws.send(JSON.stringify({ kind: 'request', id: 1, name: 'app.info', args: {} }));
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.kind === 'response' && m.id === 1) out.dataset.host = m.ok ? m.result.host : 'error:' + m.error;
  if (m.kind === 'push') window.__pushes++;
};
ws.onclose = () => { out.dataset.closed = 'yes'; };
`;

let tmp: string;
let host: WebHost;
let emit: <K extends ApiPushName>(name: K, payload: ApiPushes[K]) => void;
let foreign: http.Server;
let foreignOrigin: string;
let browser: Browser;

test.beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-web-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>payops</title><div id="out"></div><script src="/app.js"></script>');
  fs.writeFileSync(path.join(tmp, 'app.js'), PAGE_JS);
  const listeners: { [K in ApiPushName]: Set<(p: ApiPushes[K]) => void> } = { snapshot: new Set(), alert: new Set(), menu: new Set() };
  const services = {
    app: { info: () => ({ version: 'e2e', host: 'electron', readOnly: false, demo: true, dbFile: null }) },
  } as unknown as ApiServices;
  const backend: ApiBackend = {
    services,
    subscribe(name, l) {
      const set = listeners[name] as Set<typeof l>;
      set.add(l);
      return () => set.delete(l);
    },
    close: async () => {},
  };
  emit = (name, payload) => {
    for (const l of listeners[name] as Set<(p: typeof payload) => void>) l(payload);
  };
  host = await startWebHost({ backend, rendererDir: tmp, port: 0 });

  // A page on another origin (same host name, other port: same *site*, so SameSite cookies go).
  foreign = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>foreign</title>');
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath() });
});

test.afterAll(async () => {
  await browser?.close();
  await host?.close();
  await new Promise<void>((r) => (foreign ? foreign.close(() => r()) : r()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the printed URL opens the app; a reload gets in by the page cookie and the tab\'s stored token', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(host.url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.locator('#out')).toHaveAttribute('data-host', 'web');
  emit('snapshot', { at: 1 } as unknown as ApiPushes['snapshot']);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __pushes: number }).__pushes)).toBe(1);
  const cookies = await context.cookies();
  const cookie = cookies.find((c) => c.name === `payops_page_${host.port}`);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // Cookies ignore ports, so other local apps receive it: it is not the token.
  expect(cookie?.value).not.toBe(host.token);
  expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
  const reload = await page.reload();
  expect(reload?.status()).toBe(200);
  await expect(page.locator('#out')).toHaveAttribute('data-host', 'web');
  await expect.poll(() => host.stats().clients).toBe(1);
  expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
  await context.close();
});

test('localhost:<port> reaches this host (it holds ::1 as well as 127.0.0.1)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`http://localhost:${host.port}/?token=${host.token}`);
  expect(response?.status()).toBe(200);
  await expect(page.locator('#out')).toHaveAttribute('data-host', 'web');
  await context.close();
});

test('without the token the page is refused', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`http://127.0.0.1:${host.port}/`);
  expect(response?.status()).toBe(401);
  await context.close();
});

test('the CSP blocks inline script on the served page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url);
  const ran = await page.evaluate(() => {
    const w = window as unknown as { __inline?: boolean };
    w.__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.appendChild(s);
    return w.__inline;
  });
  expect(ran).toBe(false);
  await context.close();
});

test('a foreign page cannot open the API WebSocket, with the cookie or even the token', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url); // the operator's browser now holds the cookie
  await page.goto(foreignOrigin);
  const attempt = (url: string) =>
    page.evaluate(
      (u) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(u);
          ws.onopen = () => resolve('opened');
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('timeout'), 5000);
        }),
      url,
    );
  expect(await attempt(`ws://127.0.0.1:${host.port}/api`)).toBe('refused');
  expect(await attempt(`ws://127.0.0.1:${host.port}/api?token=${host.token}`)).toBe('refused');
  await expect.poll(() => host.stats().clients).toBe(0);
  await context.close();
});

test("a foreign page cannot pull the app's files although the browser holds the cookie", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url);
  await page.goto(foreignOrigin);
  const result = await page.evaluate(
    (src) =>
      new Promise<string>((resolve) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => resolve('loaded');
        s.onerror = () => resolve('refused');
        document.head.appendChild(s);
      }),
    `http://127.0.0.1:${host.port}/app.js`,
  );
  expect(result).toBe('refused');
  await context.close();
});
