// Electron entry: lifecycle, the one window, menu, notifications, and the IPC side of the API.
// The engine runs in a worker thread behind createConsoleBackend; this file only hosts it.
// Security: sandboxed, context-isolated renderer loaded from app://payops; navigation, new
// windows, webviews and permissions (except notifications) denied; every IPC call checks the
// sender before its arguments are validated with the shared schemas.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  dialog,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type WebContents,
} from 'electron';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL, type ApiParsedArgs, type ApiPushes } from '../shared/api';
import { dispatchApiRequest, type ApiServices } from '../shared/apiDispatch';
import { CAPTURE_FILE_EXTENSIONS, type DialogResults } from '../shared/dialogApi';
import type { ApiBackend } from './core/host/apiBackend';
import { createConsoleBackend } from './core/host/consoleBackend';
import { APP_CSP, APP_RESPONSE_HEADERS, withCspHeader } from './desktop/csp';
import { CRASH_RELOAD_WINDOW_MS, createCrashReloadGate } from './desktop/crashReload';
import { buildMenuTemplate, type MenuCommand } from './desktop/menu';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  appRequestPath,
  describeBlockedUrl,
  externalHostsFrom,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
  linkRefusal,
} from './desktop/navigation';
import { formatAlertNotification, notificationClickPush } from './desktop/notifications';
import { reportDataUrl, reportRequestAllowed, writeFileAtomically } from './desktop/reportPdfFile';
import { renderReportHtml } from './core/report/reportHtml';
import { redactSecrets } from './core/redact';
import { consoleLine, shownErrorText } from './desktop/consoleLine';
import type { ReportJob } from '../shared/explorer';
import { createSafeStorageSecretStore } from './desktop/secretStore';
import { clampToDisplays, loadWindowState, saveWindowState, type WindowState } from './desktop/windowState';
import { contentTypeFor, resolveStaticPath } from './web/staticFiles';

const isDev = !app.isPackaged;
const externalHosts = externalHostsFrom(process.env.PAYOPS_EXTERNAL_HOSTS);

// A separate profile for tests and for running two builds side by side.
if (process.env.PAYOPS_USER_DATA) app.setPath('userData', path.resolve(process.env.PAYOPS_USER_DATA));

// Must happen before 'ready': app:// behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
// Every renderer sandboxed, whatever its webPreferences say.
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let persistWindowState: () => void = () => {};
let backend: ApiBackend | null = null;
/** The backend's services as the desktop serves them (see desktopServices). */
let services: ApiServices | null = null;
const unsubscribers: Array<() => void> = [];

function rendererDir(): string {
  return path.join(app.getAppPath(), 'dist-renderer');
}

function send<K extends keyof ApiPushes>(channelName: K, payload: ApiPushes[K]): void {
  const win = mainWindow;
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  win.webContents.send(IPC_PUSH_CHANNEL, channelName, payload);
}

function sendMenuCommand(command: MenuCommand): void {
  send('menu', { command });
}

// --- app:// protocol ------------------------------------------------------------------------

async function serveApp(request: Request): Promise<Response> {
  const headers = { ...APP_RESPONSE_HEADERS, 'Cache-Control': 'no-cache' };
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers });
  const pathname = appRequestPath(request.url);
  if (pathname === null) return new Response('not found', { status: 404, headers });
  const resolved = resolveStaticPath(rendererDir(), pathname);
  if (resolved.kind !== 'file') {
    const status = resolved.kind === 'bad-request' ? 400 : resolved.kind === 'forbidden' ? 403 : 404;
    return new Response(resolved.kind, { status, headers });
  }
  let body: Buffer;
  try {
    body = await fs.promises.readFile(resolved.file);
  } catch {
    return new Response('not found', { status: 404, headers });
  }
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: { ...headers, 'Content-Type': contentTypeFor(resolved.file) },
  });
}

// --- security handlers ----------------------------------------------------------------------

/** Opens an allowed link in the system browser; a refused one is logged and the renderer told (its host and why). */
function openExternalIfAllowed(url: string): void {
  const refusal = linkRefusal(url, externalHosts);
  if (refusal === null) {
    void shell.openExternal(url);
  } else {
    console.warn(consoleLine(`blocked opening ${describeBlockedUrl(url)} (not on the allow-list; see PAYOPS_EXTERNAL_HOSTS)`));
    send('menu', refusal);
  }
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(permission === 'notifications' && isAppUrl(details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    return permission === 'notifications' && isAppUrl(requestingOrigin);
  });
  ses.setDevicePermissionHandler(() => false);
  // The protocol handler sets the CSP too; this covers any other response the session sees.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, APP_CSP) });
  });
  ses.protocol.handle(APP_SCHEME, serveApp);
}

app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) {
      event.preventDefault();
      openExternalIfAllowed(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
});

// --- IPC ------------------------------------------------------------------------------------

function trustedSender(event: IpcMainInvokeEvent): boolean {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return false;
  const frame = event.senderFrame;
  return isTrustedSender(
    { senderId: event.sender.id, frameUrl: frame?.url, isMainFrame: !!frame && frame === event.sender.mainFrame },
    [win.webContents.id],
  );
}

/** 'dialog.openCapture': the native open dialog (the backend's own answer is for the web host). */
async function openCaptureDialog(): Promise<DialogResults['dialog.openCapture']> {
  const options: OpenDialogOptions = {
    title: 'Open a capture',
    properties: ['openFile'],
    filters: [
      { name: 'Captures (.ndjson, .jsonl, .gz)', extensions: [...CAPTURE_FILE_EXTENSIONS] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const win = mainWindow;
  const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return { file: result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0] };
}

let pdfExports = 0;

/**
 * 'report.export' as PDF in the desktop app: the report's self-contained HTML printed by
 * Electron's printToPDF in a hidden, script-less window, saved where the operator chooses.
 * Other formats (and the web host) use the engine's own export.
 */
async function exportReportPdf(b: ApiBackend, args: ApiParsedArgs<'report.export'>): Promise<ReportJob> {
  const jobId = `desktop-pdf-${++pdfExports}`;
  const job: ReportJob = { jobId, format: 'pdf', state: 'running', done: 0, total: 1, bytes: 0, file: null, error: null };
  const { format: _format, ...buildArgs } = args;
  const data = await b.services.report.build(buildArgs);
  const win = mainWindow;
  const target = await (win && !win.isDestroyed()
    ? dialog.showSaveDialog(win, { defaultPath: 'payops-report.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] })
    : dialog.showSaveDialog({ defaultPath: 'payops-report.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] }));
  if (target.canceled || !target.filePath) return { ...job, state: 'cancelled' };
  // Written out here (not imported) so Electronegativity can check every option.
  const printer = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      partition: 'payops-report-pdf',
    },
  });
  try {
    printer.webContents.session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !reportRequestAllowed(details.url) }));
    await printer.loadURL(reportDataUrl(renderReportHtml(data)));
    const pdf = await printer.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    await writeFileAtomically(target.filePath, pdf);
    return { ...job, state: 'done', done: 1, bytes: pdf.byteLength, file: target.filePath };
  } finally {
    printer.destroy();
  }
}

/** The backend's services, with what the desktop does itself: native dialogs and PDF through printToPDF. */
function desktopServices(b: ApiBackend): ApiServices {
  return {
    ...b.services,
    app: { info: async (args) => ({ ...(await b.services.app.info(args)), host: 'electron' }) },
    dialog: { openCapture: () => openCaptureDialog() },
    report: { ...b.services.report, export: (args) => (args.format === 'pdf' ? exportReportPdf(b, args) : b.services.report.export(args)) },
  };
}

function registerIpc(): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, args: unknown) => {
    if (!trustedSender(event)) return { ok: false, error: 'forbidden: untrusted sender' };
    try {
      if (!services) return { ok: false, error: 'the engine is not running' };
      return { ok: true, result: await dispatchApiRequest(services, name, args) };
    } catch (error) {
      // Message only: no stack crosses to the renderer.
      const message = error instanceof Error ? redactSecrets(error.message.split('\n')[0]) : 'internal error';
      return { ok: false, error: message.slice(0, 500) };
    }
  });
}

function forwardPushes(b: ApiBackend): void {
  unsubscribers.push(b.subscribe('snapshot', (snapshot) => send('snapshot', snapshot)));
  unsubscribers.push(
    b.subscribe('alert', (alert) => {
      send('alert', alert);
      if (!Notification.isSupported()) return;
      const text = formatAlertNotification(alert);
      const notification = new Notification({ title: text.title, body: text.body, urgency: text.urgency, silent: text.urgency === 'low' });
      notification.on('click', () => {
        focusWindow();
        send('menu', notificationClickPush(alert));
      });
      notification.show();
    }),
  );
}

// --- window ---------------------------------------------------------------------------------

function windowStateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function focusWindow(): void {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function createWindow(): BrowserWindow {
  const saved = loadWindowState(windowStateFile());
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const bounds = clampToDisplays(saved?.bounds ?? null, displays, screen.getPrimaryDisplay().workArea);
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'payops',
    backgroundColor: '#111418',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open a new window (denied anyway): switch the feature off.
      disableBlinkFeatures: 'Auxclick',
      devTools: isDev,
    },
  });
  if (saved?.maximized) win.maximize();

  let saveTimer: NodeJS.Timeout | null = null;
  const persist = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      saveWindowState(windowStateFile(), state);
    } catch (error) {
      console.warn(consoleLine('could not save the window state', error));
    }
  };
  const schedule = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(persist, 500);
  };
  win.on('resize', schedule);
  win.on('move', schedule);
  // 'close' does not fire when quitting through app.exit (see before-quit): both paths save.
  win.on('close', persist);
  persistWindowState = persist;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  const crashGate = createCrashReloadGate(3, CRASH_RELOAD_WINDOW_MS);
  win.webContents.on('render-process-gone', (_e, details) => {
    const decision = crashGate();
    if (decision === 'reload') {
      console.error(consoleLine(`renderer gone (${details.reason}); reloading`));
      if (!win.isDestroyed()) void win.loadURL(APP_INDEX_URL);
    } else if (decision === 'give-up') {
      console.error(consoleLine(`renderer gone (${details.reason}) again: it keeps crashing, not reloading; trying once more in a minute`));
      const retry = setTimeout(() => {
        if (!win.isDestroyed()) void win.loadURL(APP_INDEX_URL);
      }, CRASH_RELOAD_WINDOW_MS);
      retry.unref?.();
    }
  });
  void win.loadURL(APP_INDEX_URL);
  return win;
}

function installMenu(): void {
  const template = buildMenuTemplate({ appName: app.name, isMac: process.platform === 'darwin', isDev, send: sendMenuCommand });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// --- lifecycle ------------------------------------------------------------------------------

async function start(): Promise<void> {
  hardenSession();
  registerIpc();
  installMenu();
  const userData = app.getPath('userData');
  const secrets = createSafeStorageSecretStore({ file: path.join(userData, 'secrets.json'), safeStorage });
  const demo = process.argv.includes('--demo') || process.env.PAYOPS_DEMO === '1';
  try {
    backend = await createConsoleBackend({
      dbFile: path.join(userData, 'payops.db'),
      configDir: userData,
      host: 'electron',
      version: app.getVersion(),
      demo,
      secrets,
    });
  } catch (error) {
    dialog.showErrorBox('payops could not start its engine', shownErrorText(error));
    app.exit(1);
    return;
  }
  services = desktopServices(backend);
  forwardPushes(backend);
  mainWindow = createWindow();
}

let quitting = false;
async function shutdown(): Promise<void> {
  for (const u of unsubscribers.splice(0)) u();
  const b = backend;
  backend = null;
  services = null;
  if (b) {
    try {
      await b.close();
    } catch (error) {
      console.error(consoleLine('engine did not close cleanly', error));
    }
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (backend && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    persistWindowState();
    void shutdown().finally(() => app.exit(0));
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error(consoleLine('start failed', error, { stack: true }));
      app.exit(1);
    });
}

