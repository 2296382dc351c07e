// The lint rule that keeps DESIGN.md's import directions: checked on code it must refuse.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..') });
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}`);
}
const LAYER_RULE = '@typescript-eslint/no-restricted-imports';

describe('layer lint rule', () => {
  it.each([
    ["import { app } from 'electron';\nexport const a = app;", 'electron/core/engine/x.ts'],
    ["import { app } from 'electron';\nexport const a = app;", 'electron/web/x.ts'],
    ["import { app } from 'electron';\nexport const a = app;", 'electron/cli/x.ts'],
    ["import { Engine } from '../electron/core/engine/engine';\nexport const a = Engine;", 'shared/x.ts'],
    ["import fs from 'node:fs';\nexport const a = fs;", 'shared/x.ts'],
    ["import { Engine } from '../../electron/core/engine/engine';\nexport const a = Engine;", 'renderer/src/x.ts'],
    ["import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;", 'renderer/src/x.ts'],
    ["import { startWebHost } from '../../web/webHost';\nexport const a = startWebHost;", 'electron/core/engine/x.ts'],
    ["import { BrowserWindow } from 'electron';\nexport const a = BrowserWindow;", 'electron/desktop/x.ts'],
    // The host side reaches the database only through the engine's services.
    ["import Database from 'better-sqlite3';\nexport const a = Database;", 'electron/core/host/x.ts'],
    ["import type { Database } from 'better-sqlite3';\nexport type A = Database;", 'electron/core/host/x.ts'],
    ["import { openDatabase } from '../store/database';\nexport const a = openDatabase;", 'electron/core/host/x.ts'],
    ["import type { EventWriter } from '../store/eventWriter';\nexport type A = EventWriter;", 'electron/core/host/x.ts'],
    ["import Database from 'better-sqlite3';\nexport const a = Database;", 'electron/web/x.ts'],
    ["import { openDatabase } from '../core/store/database';\nexport const a = openDatabase;", 'electron/web/x.ts'],
    ["import { openDatabase } from './core/store/database';\nexport const a = openDatabase;", 'electron/main.ts'],
    ["import type { Database } from 'better-sqlite3';\nexport type A = Database;", 'electron/desktop/x.ts'],
  ])('refuses %s in %s', async (code, file) => {
    expect(await ruleIds(code, file)).toContain(LAYER_RULE);
  });

  it.each([
    ["import { app } from 'electron';\nexport const a = app;", 'electron/main.ts'],
    ["import { contextBridge } from 'electron';\nexport const a = contextBridge;", 'electron/preload.ts'],
    ["import type { BrowserWindow } from 'electron';\nexport type A = BrowserWindow;", 'electron/desktop/x.ts'],
    ["import { decodeMessage } from '../../../shared/events/decode';\nexport const a = decodeMessage;", 'electron/core/engine/x.ts'],
    ["import type { PayopsApi } from '../../shared/api';\nexport type A = PayopsApi;", 'renderer/src/x.ts'],
    ["import type { EngineServices } from '../engine/engineServices';\nexport type A = EngineServices;", 'electron/core/host/x.ts'],
    ["import { openDatabase } from '../store/database';\nexport const a = openDatabase;", 'electron/core/engine/x.ts'],
  ])('allows %s in %s', async (code, file) => {
    expect(await ruleIds(code, file)).not.toContain(LAYER_RULE);
  });
});
