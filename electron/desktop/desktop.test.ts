import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCrashReloadGate } from './crashReload';
import { APP_CSP, buildCsp, withCspHeader } from './csp';
import { buildMenuTemplate, type MenuCommand } from './menu';
import {
  appRequestPath,
  describeBlockedUrl,
  externalHostsFrom,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
} from './navigation';
import { formatAlertNotification } from './notifications';
import { createSafeStorageSecretStore } from './secretStore';
import { contactPointSecretKey } from '../core/notify/secretUrls';
import { clampToDisplays, loadWindowState, parseWindowState, saveWindowState } from './windowState';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window state', () => {
  it('centres a first window on the primary display', () => {
    expect(clampToDisplays(null, [primary])).toEqual({ x: 260, y: 70, width: 1400, height: 900 });
  });

  it('keeps a position that is on a display', () => {
    const b = { x: 2000, y: 100, width: 1200, height: 800 };
    expect(clampToDisplays(b, [primary, right], primary)).toEqual(b);
  });

  it('moves a window that hangs off the edge back inside its display', () => {
    expect(clampToDisplays({ x: 1500, y: -20, width: 1000, height: 700 }, [primary], primary)).toEqual({ x: 920, y: 0, width: 1000, height: 700 });
  });

  it('recentres on the primary display when the saved display is gone', () => {
    const onUnplugged = { x: 4000, y: 200, width: 1200, height: 800 };
    expect(clampToDisplays(onUnplugged, [primary], primary)).toEqual({ x: 360, y: 120, width: 1200, height: 800 });
  });

  it('shrinks a window larger than the display', () => {
    const b = clampToDisplays({ x: 0, y: 0, width: 5000, height: 3000 }, [primary], primary);
    expect(b).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('recentres when only the bottom of the window is visible (title bar off screen)', () => {
    const b = clampToDisplays({ x: 100, y: -700, width: 1000, height: 800 }, [primary], primary);
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.x).toBe(460);
  });

  it('rejects junk from disk and round-trips through the file', () => {
    expect(parseWindowState(null)).toBeNull();
    expect(parseWindowState({ bounds: { x: 'a', y: 0, width: 1, height: 1 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: -5, height: 1 } })).toBeNull();
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: Infinity, height: 1 } })).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-ws-'));
    const file = path.join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { bounds: { x: 10.4, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    fs.writeFileSync(file, '{broken');
    expect(loadWindowState(file)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('navigation and senders', () => {
  it('knows our own pages', () => {
    expect(isAppUrl('app://payops/index.html')).toBe(true);
    expect(isAppUrl('app://payops/')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@payops/index.html')).toBe(false);
    expect(isAppUrl('https://payops/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
    expect(isAllowedNavigation('https://evil.example/')).toBe(false);
    expect(isAllowedNavigation('app://payops/index.html#/alerts')).toBe(true);
  });

  it('opens external links only for https hosts on the allow-list', () => {
    const hosts = externalHostsFrom('wiki.acme.example, *.runbooks.acme.example, bad host, .x, javascript:alert(1)');
    expect(hosts).toContain('wiki.acme.example');
    expect(hosts).toContain('*.runbooks.acme.example');
    expect(hosts).not.toContain('bad host');
    expect(isAllowedExternalUrl('https://www.rabbitmq.com/docs/queues', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://wiki.acme.example/payments', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://a.runbooks.acme.example/x', hosts)).toBe(true);
    expect(isAllowedExternalUrl('https://runbooks.acme.example/x', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://evilrunbooks.acme.example/x', hosts)).toBe(false);
    expect(isAllowedExternalUrl('http://www.rabbitmq.com/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://github.com:8443/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('https://github.com.evil.example/', hosts)).toBe(false);
    expect(isAllowedExternalUrl('file:///C:/Windows/System32/calc.exe', hosts)).toBe(false);
    expect(isAllowedExternalUrl('smb://github.com/share', hosts)).toBe(false);
    expect(isAllowedExternalUrl('not a url', hosts)).toBe(false);
  });

  it('names a blocked link by scheme and host only', () => {
    expect(describeBlockedUrl('https://u:pw@Wiki.Example.com:8443/a/SECRET?token=t#f')).toBe('https://wiki.example.com:8443');
    expect(describeBlockedUrl('javascript:alert(document.cookie)')).toBe('a javascript link');
    expect(describeBlockedUrl('file:///etc/passwd')).toBe('a file link');
    expect(describeBlockedUrl('::nope')).toBe('a link that is not a URL');
    expect(describeBlockedUrl(42)).toBe('a link that is not a string');
  });

  it('trusts only our window top frame showing our page', () => {
    const ids = new Set([7]);
    expect(isTrustedSender({ senderId: 7, frameUrl: 'app://payops/index.html', isMainFrame: true }, ids)).toBe(true);
    expect(isTrustedSender({ senderId: 8, frameUrl: 'app://payops/index.html', isMainFrame: true }, ids)).toBe(false);
    expect(isTrustedSender({ senderId: 7, frameUrl: 'app://payops/index.html', isMainFrame: false }, ids)).toBe(false);
    expect(isTrustedSender({ senderId: 7, frameUrl: 'https://evil.example/', isMainFrame: true }, ids)).toBe(false);
    expect(isTrustedSender({ senderId: 7, frameUrl: 'app://payops.evil/index.html', isMainFrame: true }, ids)).toBe(false);
    expect(isTrustedSender({ senderId: 7, frameUrl: null, isMainFrame: true }, ids)).toBe(false);
    expect(isTrustedSender({ senderId: 7, frameUrl: 'devtools://devtools/bundled/x.html', isMainFrame: true }, [7])).toBe(false);
  });

  it('maps app:// requests to paths only for our host', () => {
    expect(appRequestPath('app://payops/index.html')).toBe('/index.html');
    expect(appRequestPath('app://payops/assets/a.js?x=1')).toBe('/assets/a.js');
    expect(appRequestPath('app://payops/../../etc/passwd')).toBe('/etc/passwd'); // normalised by URL, then resolved inside the folder
    expect(appRequestPath('app://other/index.html')).toBeNull();
    expect(appRequestPath('nonsense')).toBeNull();
  });
});

describe('crashed renderer', () => {
  it('is reloaded up to three times a minute, then given up on once and quiet, then reloaded again', () => {
    let t = 0;
    const gate = createCrashReloadGate(3, 60_000, () => t);
    expect([gate(), gate(), gate()]).toEqual(['reload', 'reload', 'reload']);
    expect([gate(), gate()]).toEqual(['give-up', 'quiet']);
    t = 60_000;
    expect(gate()).toBe('reload');
  });
});

describe('CSP', () => {
  it('is strict: self scripts only, no objects, no base, no framing', () => {
    expect(APP_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; frame-src 'none'; worker-src 'self'",
    );
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(buildCsp({ 'default-src': ["'none'"] })).toBe("default-src 'none'");
  });

  it('replaces any policy a response carries', () => {
    const h = withCspHeader({ 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(h).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [APP_CSP] });
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [APP_CSP] });
  });
});

describe('menu', () => {
  type Item = { label?: string; role?: string; accelerator?: string; click?: () => void; submenu?: Item[] };
  const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);

  it('has the view shortcuts and sends their commands', () => {
    const sent: MenuCommand[] = [];
    const items = flat(buildMenuTemplate({ appName: 'payops', isMac: false, isDev: false, send: (c) => sent.push(c) }) as Item[]);
    const byLabel = (l: string) => items.find((i) => i.label === l);
    expect(byLabel('Dashboard')?.accelerator).toBe('CmdOrCtrl+1');
    expect(byLabel('Alerts')?.accelerator).toBe('CmdOrCtrl+2');
    expect(byLabel('Explorer')?.accelerator).toBe('CmdOrCtrl+3');
    expect(byLabel('Settings')?.accelerator).toBe('CmdOrCtrl+4');
    expect(byLabel('Pause / Resume Live View')?.accelerator).toBe('CmdOrCtrl+P');
    byLabel('Alerts')?.click?.();
    byLabel('Toggle Theme')?.click?.();
    byLabel('Pause / Resume Live View')?.click?.();
    expect(sent).toEqual(['view.alerts', 'theme.toggle', 'live.togglePause']);
  });

  it('offers Reload and DevTools only in development', () => {
    const roles = (isDev: boolean) =>
      flat(buildMenuTemplate({ appName: 'payops', isMac: false, isDev, send: () => {} }) as Item[]).map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('has an app menu on macOS', () => {
    const t = buildMenuTemplate({ appName: 'payops', isMac: true, isDev: false, send: () => {} });
    expect(t[0].label).toBe('payops');
  });
});

describe('alert notifications', () => {
  it('names the rule in the title and the labels and value in the body', () => {
    const n = formatAlertNotification({
      kind: 'firing',
      rule: 'decline-rate-high',
      severity: 'critical',
      labels: { merchant: 'acme', currency: 'EUR' },
      value: 0.4234,
      summary: 'decline rate above 30%',
      at: 0,
    });
    expect(n.title).toBe('Firing: decline-rate-high');
    expect(n.body).toBe('currency=\u2068EUR\u2069, merchant=\u2068acme\u2069 · value 0.423 · decline rate above 30%');
    expect(n.urgency).toBe('critical');
    const r = formatAlertNotification({ kind: 'resolved', rule: 'r', severity: 'warning', labels: {}, value: null, summary: '', at: 0 });
    expect(r).toEqual({ title: 'Resolved: r', body: 'all · value no data', urgency: 'low' });
  });

  it("says a rate's basis and its unit as the browser notification does (shared fmtAlertValue)", () => {
    const at = (value: number, metric: string) => formatAlertNotification({ kind: 'firing', rule: 'r', severity: 'warning', labels: {}, value, metric, summary: '', at: 0 }).body;
    expect(at(0.2, 'decline_rate')).toBe('all · value 20 % per attempt');
    expect(at(0.26, 'approval_rate')).toBe('all · value 26 % per attempt');
    expect(at(12.5, 'queue_delay_seconds')).toBe('all · value 12.5 s');
    // No metric (an older engine): grouped as the console writes a figure.
    expect(formatAlertNotification({ kind: 'firing', rule: 'r', severity: 'warning', labels: {}, value: 12345, summary: '', at: 0 }).body).toBe('all · value 12,345');
  });

  // A merchant id is the publisher's: a right-to-left override in it turned the rest of the
  // body round ("value 20 %" read backwards), a zero-width space made "m_1" read as another id.
  it("isolates each label's value and shows undrawn characters, in the labels and the summary, as the browser notification does", () => {
    const n = formatAlertNotification({
      kind: 'firing', rule: 'r', severity: 'warning', labels: { merchant: 'm_\u202e1\u200b' }, value: 0.2, metric: 'decline_rate',
      summary: 'decline rate 20 % per attempt for merchant m_\u202e1\u200b', at: 0,
    });
    expect(n.body).toBe('merchant=\u2068m_\\u202e1\\u200b\u2069 · value 20 % per attempt · decline rate 20 % per attempt for merchant m_\\u202e1\\u200b');
    expect(n.body).not.toMatch(/[\u202e\u200b]/);
  });

  // The runbook reached the notification but was not said. Its host only (the notification has no
  // link to press; a URL's path or query may hold a token), kept whole after a long summary.
  it("names the runbook's host at the end of the body, never its path, query or login", () => {
    const base = { kind: 'firing' as const, rule: 'r', severity: 'warning' as const, labels: {}, value: 0.2, metric: 'decline_rate', at: 0 };
    const runbookUrl = 'https://ops:***@wiki.example/runbooks/declines?token=***';
    expect(formatAlertNotification({ ...base, summary: 'declines up', runbookUrl }).body).toBe('all · value 20 % per attempt · declines up · Runbook: wiki.example');
    const long = formatAlertNotification({ ...base, summary: 'x'.repeat(1000), runbookUrl }).body;
    expect(long).toHaveLength(300);
    expect(long.endsWith(' · Runbook: wiki.example')).toBe(true);
    expect(formatAlertNotification({ ...base, summary: 's', runbookUrl: 'electron/core/alerts/RULES.md#r' }).body).not.toContain('Runbook');
    expect(formatAlertNotification({ ...base, summary: 's', runbookUrl: 'javascript:alert(1)' }).body).not.toContain('Runbook');
  });
});

describe('secret store', () => {
  function fakeSafeStorage(available: boolean, backend: 'basic_text' | 'gnome_libsecret' = 'gnome_libsecret') {
    return {
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      // A reversible stand-in for the OS cipher: enough to show nothing is written in clear.
      encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
    };
  }

  it('stores passwords encrypted, never in plain text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-sec-'));
    const file = path.join(dir, 'secrets.json');
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(true), platform: 'linux' });
    expect(store.availability()).toEqual({ available: true, reason: null });
    await store.set('prod-eu', 'hunter2-secret');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2-secret');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('prod-eu')).toBe('hunter2-secret');
    expect(await store.get('other')).toBeNull();
    expect(await store.delete('prod-eu')).toBe(true);
    expect(await store.delete('prod-eu')).toBe(false);
    expect(await store.get('prod-eu')).toBeNull();
    await expect(store.set('../x', 'y')).rejects.toThrow(/invalid secret key/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a contact point URL secret (any urlSecret name) encrypted beside the profile passwords', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-sec-'));
    const file = path.join(dir, 'secrets.json');
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(true), platform: 'linux' });
    const secret = `team.chat-${'x'.repeat(90)}`; // a urlSecret may hold "." and be 100 characters long
    await store.set('team', 'profile-pw');
    await store.set(contactPointSecretKey(secret), 'https://hooks.example.com/services/T1/B2/secretTOKEN');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('secretTOKEN');
    expect(await store.get(contactPointSecretKey(secret))).toBe('https://hooks.example.com/services/T1/B2/secretTOKEN');
    expect(await store.get('team')).toBe('profile-pw');
    expect(await store.delete(contactPointSecretKey(secret))).toBe(true);
    expect(await store.get('team')).toBe('profile-pw');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps profiles whose ids are names of Object.prototype (a profile named "Constructor")', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-sec-'));
    const file = path.join(dir, 'secrets.json');
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(true), platform: 'linux' });
    for (const key of ['constructor', '__proto__', 'toString']) {
      expect(await store.get(key)).toBeNull();
      expect(await store.delete(key)).toBe(false);
      await store.set(key, `pw-${key}`);
      expect(await store.get(key)).toBe(`pw-${key}`);
    }
    expect(fs.readFileSync(file, 'utf8')).not.toContain('pw-');
    expect(await store.delete('__proto__')).toBe(true);
    expect(await store.get('__proto__')).toBeNull();
    expect(await store.get('constructor')).toBe('pw-constructor');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never overwrites a secrets file it cannot read: the file is kept aside and reading names it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-sec-'));
    const file = path.join(dir, 'secrets.json');
    const store = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(true), platform: 'linux' });
    await store.set('prod-eu', 'pw-eu');
    await store.set('prod-us', 'pw-us');
    const whole = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, whole.slice(0, whole.length - 9)); // a write cut short (disk full, a crash of another tool)
    await expect(store.get('prod-eu')).rejects.toThrow(/secrets file .*secrets\.json cannot be read \(not JSON\)/);
    expect(await store.delete('prod-eu')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(whole.slice(0, whole.length - 9));
    // Saving one password again keeps the unreadable file (the others' ciphertexts) beside it.
    await store.set('prod-ap', 'pw-ap');
    expect(await store.get('prod-ap')).toBe('pw-ap');
    expect(await store.get('prod-us')).toBeNull();
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith('secrets.json.unreadable-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, kept[0]), 'utf8')).toBe(whole.slice(0, whole.length - 9));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to store when OS encryption is unavailable, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-sec-'));
    const file = path.join(dir, 'secrets.json');
    const none = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(false), platform: 'linux' });
    expect(none.availability().available).toBe(false);
    await expect(none.set('p', 'pw')).rejects.toThrow(/password not saved: OS encryption/);
    const basic = createSafeStorageSecretStore({ file, safeStorage: fakeSafeStorage(true, 'basic_text'), platform: 'linux' });
    await expect(basic.set('p', 'pw')).rejects.toThrow(/no OS keyring/);
    expect(fs.existsSync(file)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
