// The bridge: exposes window.payops = PayopsApi (invoke + on) plus filePath (the path of a
// file dropped on the window, for opening a capture by drag and drop), and nothing else.
// A sandboxed preload is one CommonJS file that may require only 'electron', so this file has
// type-only imports from the project and inlines the two channel names (preload.test.ts
// checks both against shared/api.ts and checks the compiled output's requires).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiPushes, ApiPushName, ApiResults, PayopsApi } from '../shared/api';

const INVOKE_CHANNEL = 'payops:invoke'; // = IPC_INVOKE_CHANNEL
const PUSH_CHANNEL = 'payops:push'; // = IPC_PUSH_CHANNEL
/** Pushes the main process sends: the API's own, plus 'menu' (menu commands for the renderer). */
const PUSH_NAMES: readonly string[] = ['snapshot', 'alert', 'menu'];

type Envelope = { ok: true; result: unknown } | { ok: false; error: string };

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(PUSH_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  const set = listeners.get(name);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`payops: a '${name}' listener threw`, error);
    }
  }
});

/** window.payops: the typed API, and the one desktop-only helper the renderer declares as optional. */
const api: PayopsApi & { filePath(file: File): string } = {
  async invoke(name, args) {
    if (typeof name !== 'string') throw new TypeError('payops.invoke: the request name must be a string');
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, name, args)) as Envelope;
    if (!reply || typeof reply !== 'object') throw new Error(`${name}: no reply`);
    if (!reply.ok) throw new Error(reply.error);
    return reply.result as ApiResults[typeof name];
  },
  on<K extends ApiPushName>(name: K, listener: (payload: ApiPushes[K]) => void): () => void {
    if (typeof name !== 'string' || !PUSH_NAMES.includes(name)) throw new Error(`payops.on: unknown push "${String(name)}"`);
    if (typeof listener !== 'function') throw new TypeError('payops.on: the listener must be a function');
    const wrapped = (payload: unknown): void => listener(payload as ApiPushes[K]);
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
  /** The file system path of a File from a drop (Electron's webUtils; "" when it has none). */
  filePath(file: File): string {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('payops', api);
