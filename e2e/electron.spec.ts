// The real desktop app, driven through Playwright's Electron support. Runs where an Electron
// binary is installed; on machines installed with ELECTRON_SKIP_BINARY_DOWNLOAD (or offline)
// every test is skipped with that reason. Needs `npm run build` first (dist/, dist-renderer/).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = path.resolve(__dirname, '..');
const mainJs = path.join(root, 'dist', 'electron', 'main.js');

/**
 * Where node_modules/electron keeps its binary, or null. Deliberately not require('electron'):
 * that tries to download the binary when it is missing.
 */
function electronBinary(): string | null {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  let rel: string | null = null;
  try {
    rel = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    rel = null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? path.join(override, rel || 'electron') : rel ? path.join(pkgDir, 'dist', rel) : null;
  return full && fs.existsSync(full) ? full : null;
}

const binary = electronBinary();
test.skip(!binary, 'no Electron binary: ELECTRON_SKIP_BINARY_DOWNLOAD / offline machine');

test.describe.configure({ mode: 'serial' });

let userData: string;
let app: ElectronApplication;
let page: Page;

function launchEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, PAYOPS_USER_DATA: userData, PAYOPS_DEMO: '1', ELECTRON_ENABLE_LOGGING: '1' };
}

async function launch(): Promise<void> {
  if (!fs.existsSync(mainJs)) throw new Error(`${path.relative(root, mainJs)} is missing: run npm run build first`);
  app = await electron.launch({
    executablePath: binary as string,
    args: [root, ...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: launchEnv(),
    timeout: 60_000,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
}

test.beforeAll(async () => {
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-electron-'));
  await launch();
});

test.afterAll(async () => {
  await app?.close().catch(() => {});
  if (userData) fs.rmSync(userData, { recursive: true, force: true });
});

test('loads the renderer from app://payops with the hardened webPreferences', async () => {
  expect(page.url()).toBe('app://payops/index.html');
  // getLastWebPreferences is not in the public typings of every Electron version: use it when there.
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const wc = BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> | null };
    const p = wc.getLastWebPreferences?.();
    return p ? { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity, webviewTag: p.webviewTag } : null;
  });
  if (prefs) expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('exposes window.payops = { filePath, invoke, on } and no Node', async () => {
  const shape = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      keys: Object.keys((w.payops as object) ?? {}).sort(),
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
    };
  });
  expect(shape).toEqual({ keys: ['filePath', 'invoke', 'on'], require: 'undefined', process: 'undefined', module: 'undefined' });
});

test('answers API requests over IPC and rejects invalid arguments with a clear message', async () => {
  const info = await page.evaluate(() => (window as unknown as { payops: { invoke(n: string, a: unknown): Promise<{ host: string }> } }).payops.invoke('app.info', {}));
  expect(info.host).toBe('electron');
  const error = await page.evaluate(() =>
    (window as unknown as { payops: { invoke(n: string, a: unknown): Promise<unknown> } }).payops
      .invoke('metrics.history', { minutes: 0 })
      .then(() => 'resolved', (e: Error) => e.message),
  );
  expect(error).toMatch(/^metrics\.history: minutes: /);
});

test('serves a strict Content-Security-Policy', async () => {
  const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  // An inline script is refused by the policy.
  const ran = await page.evaluate(() => {
    (window as unknown as { __inline?: boolean }).__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.appendChild(s);
    return (window as unknown as { __inline?: boolean }).__inline;
  });
  expect(ran).toBe(false);
});

test('denies new windows and navigation away from the app', async () => {
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/payops\//);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('says a refused link in the console: its host and how to allow it, never its query', async () => {
  await page.evaluate(() => window.open('https://wiki.not-allowed.example/runbooks/declines?token=tok3nSECRET'));
  const banner = page.getByTestId('link-blocked');
  await expect(banner).toContainText('wiki.not-allowed.example');
  await expect(banner).toContainText('PAYOPS_EXTERNAL_HOSTS');
  await expect(banner).not.toContainText('tok3nSECRET');
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
});

test('denies permissions other than notifications', async () => {
  const states = await page.evaluate(async () => {
    const q = async (name: string) => {
      try {
        return (await navigator.permissions.query({ name: name as PermissionName })).state;
      } catch {
        return 'error';
      }
    };
    return { geolocation: await q('geolocation'), camera: await q('camera') };
  });
  expect(states.geolocation).not.toBe('granted');
  expect(states.camera).not.toBe('granted');
});

test('the menu has the view shortcuts and sends its commands to the renderer', async () => {
  const items = await app.evaluate(({ Menu }) => {
    const out: Array<{ label: string; accelerator: string | null }> = [];
    const walk = (m: Electron.Menu | null) => {
      for (const i of m?.items ?? []) {
        out.push({ label: i.label, accelerator: i.accelerator ?? null });
        walk(i.submenu ?? null);
      }
    };
    walk(Menu.getApplicationMenu());
    return out;
  });
  expect(items).toContainEqual({ label: 'Dashboard', accelerator: 'CmdOrCtrl+1' });
  expect(items).toContainEqual({ label: 'Pause / Resume Live View', accelerator: 'CmdOrCtrl+P' });
  await page.evaluate(() => {
    const w = window as unknown as { payops: { on(n: string, l: (p: unknown) => void): () => void }; __menu: unknown[] };
    w.__menu = [];
    w.payops.on('menu', (p) => w.__menu.push(p));
  });
  await app.evaluate(({ Menu }) => {
    const find = (m: Electron.Menu | null): Electron.MenuItem | null => {
      for (const i of m?.items ?? []) {
        if (i.label === 'Alerts') return i;
        const s = find(i.submenu ?? null);
        if (s) return s;
      }
      return null;
    };
    find(Menu.getApplicationMenu())?.click();
  });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __menu: unknown[] }).__menu)).toEqual([{ command: 'view.alerts' }]);
});

test('a second instance exits and leaves the first one running', async () => {
  const child = spawn(binary as string, [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])], { env: launchEnv(), stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => {
    const t = setTimeout(() => {
      child.kill();
      resolve(-1);
    }, 20_000);
    child.on('exit', (c) => {
      clearTimeout(t);
      resolve(c);
    });
  });
  expect(code).not.toBe(-1);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('remembers the window size and position across restarts', async () => {
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].setBounds({ x: 40, y: 50, width: 1000, height: 700 }));
  await app.close();
  const saved = JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8')) as { bounds: { width: number; height: number } };
  expect(saved.bounds.width).toBe(1000);
  expect(saved.bounds.height).toBe(700);
  await launch();
  const size = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].getBounds());
  expect(size.width).toBe(1000);
  expect(size.height).toBe(700);
});
