// main.ts under Node with a fake 'electron' module: no Electron binary can be downloaded here,
// so this checks the wiring (security handlers, protocol, IPC sender checks, lifecycle) that the
// Playwright spec e2e/electron.spec.ts checks for real where a binary exists.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../test/support/waitFor';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const h = vi.hoisted(() => {
  const state = {
    userData: '',
    appPath: '',
    singleInstance: true,
    appHandlers: new Map<string, Fn[]>(),
    ipcHandlers: new Map<string, Fn>(),
    protocolHandler: null as Fn | null,
    privileged: [] as unknown[],
    permissionRequest: null as Fn | null,
    permissionCheck: null as Fn | null,
    deviceHandler: null as Fn | null,
    headersReceived: null as Fn | null,
    windows: [] as any[], // eslint-disable-line @typescript-eslint/no-explicit-any
    menuTemplate: null as unknown,
    notifications: [] as Array<{ title: string; body: string; click: () => void }>,
    opened: [] as string[],
    exited: null as number | null,
    quitCalled: 0,
    sandboxEnabled: false,
    readyResolve: null as null | (() => void),
    openDialogCalls: [] as unknown[][],
    openDialogResult: { canceled: true, filePaths: [] as string[] },
    errorBoxes: [] as string[],
  };
  let nextId = 1;
  class FakeWebContents {
    id = nextId++;
    sent: unknown[][] = [];
    handlers = new Map<string, Fn>();
    mainFrame = { url: 'app://payops/index.html' };
    windowOpenHandler: Fn | null = null;
    send(...a: unknown[]) {
      this.sent.push(a);
    }
    on(ev: string, fn: Fn) {
      this.handlers.set(ev, fn);
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler(fn: Fn) {
      this.windowOpenHandler = fn;
    }
  }
  class FakeBrowserWindow {
    static getAllWindows() {
      return state.windows.filter((w) => !w.destroyed);
    }
    webContents = new FakeWebContents();
    handlers = new Map<string, Fn[]>();
    url = '';
    destroyed = false;
    maximized = false;
    bounds: { x: number; y: number; width: number; height: number };
    constructor(readonly options: any) { // eslint-disable-line @typescript-eslint/no-explicit-any
      this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height };
      state.windows.push(this);
    }
    on(ev: string, fn: Fn) {
      this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), fn]);
    }
    once(ev: string, fn: Fn) {
      this.on(ev, fn);
    }
    emit(ev: string, ...a: unknown[]) {
      for (const fn of this.handlers.get(ev) ?? []) fn(...a);
    }
    async loadURL(u: string) {
      this.url = u;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    getNormalBounds() {
      return this.bounds;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {}
  }
  const on = (ev: string, fn: Fn) => {
    state.appHandlers.set(ev, [...(state.appHandlers.get(ev) ?? []), fn]);
  };
  const electron = {
    app: {
      isPackaged: true,
      name: 'payops',
      setPath: (_n: string, p: string) => (state.userData = p),
      getPath: () => state.userData,
      getVersion: () => '0.1.0-test',
      getAppPath: () => state.appPath,
      enableSandbox: () => (state.sandboxEnabled = true),
      requestSingleInstanceLock: () => state.singleInstance,
      on,
      whenReady: () => new Promise<void>((r) => (state.readyResolve = r)),
      quit: () => (state.quitCalled += 1),
      exit: (code: number) => (state.exited = code),
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: (ch: string, fn: Fn) => state.ipcHandlers.set(ch, fn) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (state.menuTemplate = m) },
    Notification: class {
      static isSupported() {
        return true;
      }
      private clicked: () => void = () => {};
      constructor(readonly o: { title: string; body: string }) {}
      on(ev: string, fn: () => void) {
        if (ev === 'click') this.clicked = fn;
      }
      show() {
        state.notifications.push({ title: this.o.title, body: this.o.body, click: () => this.clicked() });
      }
    },
    protocol: { registerSchemesAsPrivileged: (s: unknown[]) => state.privileged.push(...s) },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (state.permissionCheck = fn),
        setDevicePermissionHandler: (fn: Fn) => (state.deviceHandler = fn),
        webRequest: { onHeadersReceived: (fn: Fn) => (state.headersReceived = fn) },
        protocol: { handle: (_s: string, fn: Fn) => (state.protocolHandler = fn) },
      },
    },
    shell: { openExternal: async (u: string) => state.opened.push(u) },
    dialog: {
      showErrorBox: (title: string, text: string) => void state.errorBoxes.push(`${title}: ${text}`),
      showOpenDialog: async (...a: unknown[]) => {
        state.openDialogCalls.push(a);
        return state.openDialogResult;
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));

const backendState = vi.hoisted(() => ({
  listeners: { snapshot: new Set<Fn>(), alert: new Set<Fn>() } as Record<string, Set<Fn>>,
  closed: 0,
  closeError: null as Error | null,
  startError: null as Error | null,
  options: null as unknown,
  calls: [] as unknown[],
}));

vi.mock('./core/host/consoleBackend', () => ({
  createConsoleBackend: async (options: unknown) => {
    backendState.options = options;
    if (backendState.startError) throw backendState.startError;
    return {
      services: {
        app: { info: () => ({ version: '0', host: 'web', readOnly: false, demo: true, dbFile: null }) },
        metrics: { history: (a: unknown) => (backendState.calls.push(a), { throughput: [], queueDepth: [] }) },
        demo: {
          stop: () => {
            throw new Error('engine exploded\n    at secret (/x.js:1:1)');
          },
        },
        report: {},
      },
      subscribe: (name: string, l: Fn) => {
        backendState.listeners[name].add(l);
        return () => backendState.listeners[name].delete(l);
      },
      close: async () => {
        backendState.closed += 1;
        if (backendState.closeError) throw backendState.closeError;
      },
    };
  },
}));

let tmp: string;

async function boot(): Promise<void> {
  vi.resetModules();
  await import('./main.js');
  h.state.readyResolve?.();
  // let start() run through its awaits
  for (let i = 0; i < 20 && h.state.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
}

function win() {
  return h.state.windows[h.state.windows.length - 1];
}

async function invoke(event: unknown, name: unknown, args: unknown): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  return h.state.ipcHandlers.get('payops:invoke')!(event, name, args);
}

function eventFrom(w: { webContents: { id: number; mainFrame: unknown } }, url = 'app://payops/index.html', main = true) {
  const frame = main ? w.webContents.mainFrame : { url };
  (frame as { url: string }).url = url;
  return { sender: w.webContents, senderFrame: frame };
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-main-'));
  const s = h.state;
  s.userData = path.join(tmp, 'userData');
  s.appPath = path.join(tmp, 'app');
  fs.mkdirSync(path.join(s.appPath, 'dist-renderer', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(s.appPath, 'dist-renderer', 'index.html'), '<!doctype html><title>payops</title>');
  fs.writeFileSync(path.join(s.appPath, 'dist-renderer', 'assets', 'a.js'), '1');
  fs.writeFileSync(path.join(tmp, 'app', 'secret.txt'), 'SECRET');
  s.singleInstance = true;
  s.appHandlers.clear();
  s.ipcHandlers.clear();
  s.windows.length = 0;
  s.notifications.length = 0;
  s.opened.length = 0;
  s.exited = null;
  s.quitCalled = 0;
  process.env.PAYOPS_USER_DATA = s.userData;
  backendState.listeners.snapshot.clear();
  backendState.listeners.alert.clear();
  backendState.closed = 0;
  backendState.closeError = null;
  backendState.startError = null;
  backendState.calls.length = 0;
  h.state.errorBoxes.length = 0;
});

afterEach(() => {
  delete process.env.PAYOPS_USER_DATA;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('main.ts (fake electron)', () => {
  it('registers app:// as a privileged scheme, sandboxes everything, and makes one hardened window', async () => {
    await boot();
    expect(h.state.sandboxEnabled).toBe(true);
    expect(h.state.privileged).toContainEqual({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) });
    expect(h.state.windows).toHaveLength(1);
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(prefs.preload).toMatch(/preload\.js$/);
    expect(win().url).toBe('app://payops/index.html');
    expect(backendState.options).toMatchObject({ dbFile: path.join(h.state.userData, 'payops.db') });
  });

  it('serves dist-renderer over app:// with the CSP and refuses traversal', async () => {
    await boot();
    const serve = h.state.protocolHandler!;
    const ok: Response = await serve(new Request('app://payops/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await ok.text()).toContain('payops');
    for (const u of ['app://payops/%2e%2e/secret.txt', 'app://payops/..%2fsecret.txt', 'app://other/index.html', 'app://payops/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const r: Response = await serve(new Request(u));
      expect(r.status, u).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('SECRET');
    }
    expect((await serve(new Request('app://payops/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    const headers = h.state.headersReceived!;
    let got: unknown;
    headers({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r: unknown) => (got = r));
    expect(JSON.stringify(got)).toContain("object-src 'none'");
    expect(JSON.stringify(got)).not.toContain('default-src *');
  });

  it('denies every permission but notifications from our own page', async () => {
    await boot();
    const decide = (permission: string, url: string) => {
      let granted: boolean | null = null;
      h.state.permissionRequest!(null, permission, (g: boolean) => (granted = g), { requestingUrl: url });
      return granted;
    };
    expect(decide('notifications', 'app://payops/index.html')).toBe(true);
    expect(decide('notifications', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen']) expect(decide(p, 'app://payops/index.html')).toBe(false);
    expect(h.state.permissionCheck!(null, 'notifications', 'app://payops')).toBe(true);
    expect(h.state.permissionCheck!(null, 'media', 'app://payops')).toBe(false);
    expect(h.state.deviceHandler!({})).toBe(false);
  });

  it('denies navigation, webviews and new windows; external links only through the allow-list', async () => {
    await boot();
    const contents = { handlers: new Map<string, Fn>(), on(ev: string, fn: Fn) { this.handlers.set(ev, fn); }, openHandler: null as Fn | null, setWindowOpenHandler(fn: Fn) { this.openHandler = fn; } };
    for (const fn of h.state.appHandlers.get('web-contents-created') ?? []) fn({}, contents);
    const prevented = (ev: string, url?: string) => {
      let p = false;
      contents.handlers.get(ev)!({ preventDefault: () => (p = true) }, url);
      return p;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'app://payops/index.html#/alerts')).toBe(false);
    expect(prevented('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(contents.openHandler!({ url: 'https://www.rabbitmq.com/docs' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(h.state.opened).toEqual(['https://www.rabbitmq.com/docs']);
  });

  it('logs a blocked link by its scheme and host only: no token, password or webhook path in the log', async () => {
    await boot();
    const contents = { handlers: new Map<string, Fn>(), on(ev: string, fn: Fn) { this.handlers.set(ev, fn); }, openHandler: null as Fn | null, setWindowOpenHandler(fn: Fn) { this.openHandler = fn; } };
    for (const fn of h.state.appHandlers.get('web-contents-created') ?? []) fn({}, contents);
    const warned: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void warned.push(a.map(String).join(' ')));
    try {
      contents.openHandler!({ url: 'https://ops:hunter2pw@wiki.example.com/runbook?token=tok3nSECRET&x=1' });
      contents.handlers.get('will-navigate')!({ preventDefault: () => {} }, 'https://hooks.slack.com/services/T0000/B0000/XXXXsecretPATH');
      contents.openHandler!({ url: 'not a url ?token=tok3nSECRET' });
    } finally {
      spy.mockRestore();
    }
    expect(warned).toHaveLength(3);
    for (const line of warned) expect(line).not.toMatch(/hunter2pw|tok3nSECRET|secretPATH|ops@|ops%3A/);
    // And the window is told, so the operator who clicked sees why nothing opened (before: the log line only).
    expect(win().webContents.sent).toEqual([
      ['payops:push', 'menu', { command: 'link.blocked', host: 'wiki.example.com', reason: 'credentials' }],
      ['payops:push', 'menu', { command: 'link.blocked', host: 'hooks.slack.com', reason: 'host' }],
      ['payops:push', 'menu', { command: 'link.blocked', host: '', reason: 'invalid' }],
    ]);
    expect(JSON.stringify(win().webContents.sent)).not.toMatch(/hunter2pw|tok3nSECRET|secretPATH/);
    expect(warned[0]).toContain('https://wiki.example.com');
    expect(warned[1]).toContain('https://hooks.slack.com');
    expect(h.state.opened).toEqual([]);
  });

  it('reloads a crashed renderer, but not in an endless loop when it keeps crashing', async () => {
    await boot();
    const w = win();
    const loads: string[] = [];
    w.loadURL = async (u: string) => void loads.push(u);
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    try {
      const gone = w.webContents.handlers.get('render-process-gone')!;
      gone({}, { reason: 'crashed', exitCode: 1 });
      expect(loads).toEqual(['app://payops/index.html']);
      for (let i = 0; i < 50; i++) gone({}, { reason: 'crashed', exitCode: 1 });
    } finally {
      spy.mockRestore();
    }
    expect(loads.length).toBeLessThanOrEqual(3);
    expect(errors.length).toBeLessThanOrEqual(5);
    expect(errors.at(-1)).toMatch(/not reloading/);
  });

  it('answers IPC only from our window top frame, validates first, never leaks stacks', async () => {
    await boot();
    const w = win();
    expect(await invoke(eventFrom(w), 'app.info', {})).toMatchObject({ ok: true, result: { host: 'electron' } });
    const other = { webContents: { id: 999, mainFrame: { url: 'app://payops/index.html' } } };
    expect(await invoke(eventFrom(other), 'app.info', {})).toEqual({ ok: false, error: 'forbidden: untrusted sender' });
    expect(await invoke(eventFrom(w, 'https://evil.example/'), 'app.info', {})).toEqual({ ok: false, error: 'forbidden: untrusted sender' });
    expect(await invoke(eventFrom(w, 'app://payops/index.html', false), 'app.info', {})).toEqual({ ok: false, error: 'forbidden: untrusted sender' });
    expect(await invoke({ sender: w.webContents, senderFrame: null }, 'app.info', {})).toEqual({ ok: false, error: 'forbidden: untrusted sender' });
    const bad = await invoke(eventFrom(w), 'metrics.history', { minutes: -1 });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^metrics\.history: minutes: /);
    expect(backendState.calls).toHaveLength(0);
    expect(await invoke(eventFrom(w), 'metrics.history', { minutes: 5 })).toMatchObject({ ok: true });
    expect(await invoke(eventFrom(w), 'demo.stop', {})).toEqual({ ok: false, error: 'engine exploded' });
    expect(await invoke(eventFrom(w), 42, {})).toMatchObject({ ok: false });
  });

  it('answers dialog.openCapture with the native open dialog (capture filters), null when cancelled', async () => {
    await boot();
    const w = win();
    h.state.openDialogCalls.length = 0;
    h.state.openDialogResult = { canceled: false, filePaths: ['/data/cap.ndjson.gz'] };
    expect(await invoke(eventFrom(w), 'dialog.openCapture', {})).toEqual({ ok: true, result: { file: '/data/cap.ndjson.gz' } });
    const [parent, options] = h.state.openDialogCalls[0] as [unknown, { properties: string[]; filters: { extensions: string[] }[] }];
    expect(parent).toBe(w);
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters[0].extensions).toEqual(['ndjson', 'jsonl', 'gz']);
    h.state.openDialogResult = { canceled: true, filePaths: [] };
    expect(await invoke(eventFrom(w), 'dialog.openCapture', {})).toEqual({ ok: true, result: { file: null } });
    expect(await invoke(eventFrom(w), 'dialog.openCapture', { path: '/etc' })).toMatchObject({ ok: false, error: /^dialog\.openCapture: / });
    const other = { webContents: { id: 999, mainFrame: { url: 'app://payops/index.html' } } };
    expect(await invoke(eventFrom(other), 'dialog.openCapture', {})).toEqual({ ok: false, error: 'forbidden: untrusted sender' });
    expect(h.state.openDialogCalls).toHaveLength(2);
  });

  it('forwards pushes to the window and shows a notification for alerts', async () => {
    await boot();
    for (const l of backendState.listeners.snapshot) l({ at: 1 });
    for (const l of backendState.listeners.alert) l({ kind: 'firing', rule: 'decline-rate', severity: 'critical', labels: { merchant: 'acme' }, value: 0.5, summary: '', at: 0 });
    expect(win().webContents.sent).toEqual([
      ['payops:push', 'snapshot', { at: 1 }],
      ['payops:push', 'alert', expect.objectContaining({ rule: 'decline-rate' })],
    ]);
    expect(h.state.notifications).toEqual([{ title: 'Firing: decline-rate', body: 'merchant=\u2068acme\u2069 · value 0.500', click: expect.any(Function) }]);
  });

  it('a click on an alert notification opens that alert: a menu push naming its key (before: the Alerts view only)', async () => {
    await boot();
    for (const l of backendState.listeners.alert) l({ kind: 'firing', rule: 'decline-rate', severity: 'critical', labels: { merchant: 'acme' }, value: 0.5, summary: '', at: 0, key: 'decline-rate|merchant=acme|1' });
    for (const l of backendState.listeners.alert) l({ kind: 'firing', rule: 'old-collector', severity: 'warning', labels: {}, value: 1, summary: '', at: 0 });
    win().webContents.sent.length = 0;
    h.state.notifications[0].click();
    h.state.notifications[1].click();
    expect(win().webContents.sent).toEqual([
      ['payops:push', 'menu', { command: 'alert.open', key: 'decline-rate|merchant=acme|1' }],
      ['payops:push', 'menu', { command: 'view.alerts' }],
    ]);
  });

  it('sends menu commands as a menu push; no Reload or DevTools when packaged', async () => {
    await boot();
    const flat = (items: any[]): any[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]); // eslint-disable-line @typescript-eslint/no-explicit-any
    const items = flat(h.state.menuTemplate as any[]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(items.map((i) => i.role)).not.toContain('toggleDevTools');
    expect(items.map((i) => i.role)).not.toContain('reload');
    items.find((i) => i.label === 'Explorer').click();
    expect(win().webContents.sent).toContainEqual(['payops:push', 'menu', { command: 'view.explorer' }]);
  });

  it('saves the window state and closes the engine on quit; restores the state next start', async () => {
    await boot();
    win().bounds = { x: 30, y: 40, width: 1000, height: 700 };
    let prevented = false;
    for (const fn of h.state.appHandlers.get('before-quit') ?? []) fn({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await waitFor(() => h.state.exited !== null, 'the app to exit after closing the engine');
    expect(backendState.closed).toBe(1);
    expect(h.state.exited).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(h.state.userData, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ bounds: { x: 30, y: 40, width: 1000, height: 700 }, maximized: false });
    h.state.windows.length = 0;
    await boot();
    expect(win().options).toMatchObject({ x: 30, y: 40, width: 1000, height: 700 });
  });

  it('prints an engine error without the broker password or webhook token it quotes, and shows it so in the error box', async () => {
    const secret = new Error('connect failed: amqp://ops:hunter2pw@broker.internal:5672/ (https://hooks.slack.com/services/T0000/B0000/XXXXsecretPATH)');
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.map(String).join(' ')));
    try {
      await boot();
      backendState.closeError = secret;
      for (const fn of h.state.appHandlers.get('before-quit') ?? []) fn({ preventDefault: () => {} });
      await waitFor(() => h.state.exited !== null, 'the app to exit after the engine failed to close');
      h.state.exited = null;
      h.state.windows.length = 0;
      backendState.startError = secret;
      vi.resetModules();
      await import('./main.js');
      h.state.readyResolve?.();
      await waitFor(() => h.state.exited !== null, 'the app to exit after the engine failed to start');
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([expect.stringMatching(/^payops: engine did not close cleanly: connect failed: amqp:\/\/ops:\*\*\*@broker/)]);
    expect(h.state.errorBoxes).toEqual([expect.stringMatching(/^payops could not start its engine: connect failed: amqp:\/\/ops:\*\*\*@broker/)]);
    for (const line of [...errors, ...h.state.errorBoxes]) expect(line).not.toMatch(/hunter2pw|secretPATH/);
  });

  it('a second instance quits and starts nothing', async () => {
    h.state.singleInstance = false;
    vi.resetModules();
    await import('./main.js');
    expect(h.state.quitCalled).toBe(1);
    expect(h.state.appHandlers.has('second-instance')).toBe(false);
  });
});
