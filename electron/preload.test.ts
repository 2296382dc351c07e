// The preload as Electron runs it: compiled to one CommonJS file that may require only
// 'electron', exposing exactly { invoke, on, filePath } as window.payops.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from '../shared/api';

const source = fs.readFileSync(path.join(__dirname, 'preload.ts'), 'utf8');
const compiled = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: true },
}).outputText;

function load() {
  const exposed: Record<string, unknown> = {};
  const pushListeners: Array<(...a: unknown[]) => void> = [];
  const invokes: unknown[][] = [];
  let reply: unknown = { ok: true, result: { version: '1' } };
  const electron = {
    webUtils: {
      getPathForFile: (file: { name?: string; path?: string }) => {
        if (!file || typeof file !== 'object') throw new TypeError('not a File');
        return file.path ?? '';
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: async (...a: unknown[]) => (invokes.push(a), reply),
      on: (channel: string, l: (...a: unknown[]) => void) => {
        expect(channel).toBe(IPC_PUSH_CHANNEL);
        pushListeners.push(l);
      },
    },
  };
  const requires: string[] = [];
  const module = { exports: {} };
  const sandbox = {
    require: (id: string) => {
      requires.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    },
    module,
    exports: module.exports,
    console,
  };
  vm.runInNewContext(compiled, sandbox, { filename: 'preload.js' });
  const push = (name: string, payload: unknown) => pushListeners.forEach((l) => l({ sender: 'event-object' }, name, payload));
  return { exposed, invokes, requires, push, setReply: (r: unknown) => (reply = r), pushListeners };
}

describe('preload', () => {
  it('compiles to a file that requires only electron', () => {
    const required = [...compiled.matchAll(/require\((['"])(.*?)\1\)/g)].map((m) => m[2]);
    expect(required).toEqual(['electron']);
    expect(load().requires).toEqual(['electron']);
  });

  it('inlines the channel names that shared/api.ts defines', () => {
    expect(source).toContain(`'${IPC_INVOKE_CHANNEL}'`);
    expect(source).toContain(`'${IPC_PUSH_CHANNEL}'`);
  });

  it('exposes exactly invoke, on and filePath, as window.payops', () => {
    const { exposed } = load();
    expect(Object.keys(exposed)).toEqual(['payops']);
    expect(Object.keys(exposed.payops as object).sort()).toEqual(['filePath', 'invoke', 'on']);
  });

  it('filePath gives a dropped file its path through webUtils, and "" when it has none', () => {
    const api = load().exposed.payops as { filePath(f: unknown): string };
    expect(api.filePath({ name: 'cap.ndjson', path: '/tmp/cap.ndjson' })).toBe('/tmp/cap.ndjson');
    expect(api.filePath({ name: 'blob' })).toBe('');
    expect(api.filePath(null)).toBe('');
  });

  it('invoke sends (name, args) on the invoke channel and unwraps the reply', async () => {
    const p = load();
    const api = p.exposed.payops as { invoke(n: string, a: unknown): Promise<unknown> };
    await expect(api.invoke('app.info', {})).resolves.toEqual({ version: '1' });
    expect(p.invokes).toEqual([[IPC_INVOKE_CHANNEL, 'app.info', {}]]);
    p.setReply({ ok: false, error: 'metrics.history: minutes: Too small' });
    await expect(api.invoke('metrics.history', { minutes: 0 })).rejects.toThrow('metrics.history: minutes: Too small');
    await expect(api.invoke(42 as unknown as string, {})).rejects.toThrow(/must be a string/);
  });

  it('on delivers only the payload (never the IpcRendererEvent) and unsubscribes', () => {
    const p = load();
    const api = p.exposed.payops as { on(n: string, l: (x: unknown) => void): () => void };
    const got: unknown[][] = [];
    const off = api.on('snapshot', (...args: unknown[]) => got.push(args));
    api.on('alert', () => got.push(['alert']));
    p.push('snapshot', { at: 1 });
    p.push('other', { at: 2 });
    expect(got).toEqual([[{ at: 1 }]]);
    off();
    p.push('snapshot', { at: 3 });
    expect(got).toEqual([[{ at: 1 }]]);
    expect(p.pushListeners).toHaveLength(1);
    expect(() => api.on('__proto__', () => {})).toThrow(/unknown push/);
  });
});
