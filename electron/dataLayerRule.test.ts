// The lint rule that keeps SQL and better-sqlite3 inside electron/core/store (issue 10's one
// data layer): checked on code it must refuse and on code it must let through.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..') });
async function messages(code: string, filePath: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages;
}
const DATA_RULE = 'no-restricted-syntax';
const refused = async (code: string, file: string) => (await messages(code, file)).filter((m) => m.ruleId === DATA_RULE).map((m) => m.message);

const sqlite = {
  default: "import Database from 'better-sqlite3';\nexport const open = (f: string) => new Database(f);",
  types: "import type { Database } from 'better-sqlite3';\nexport type Db = Database;",
  reexport: "export type { Statement } from 'better-sqlite3';",
  require: "export const D = require('better-sqlite3');",
  typeofImport: "export type D = typeof import('better-sqlite3');",
};
const sql = {
  select: "export const q = 'SELECT seq FROM events WHERE time_ms >= ?';",
  template: 'export const q = (t: string) => `INSERT INTO counters (name, value) VALUES (${t}, 1)`;',
  indented: 'export const q = `\n    DELETE FROM quarantine WHERE arrival_ms < ?`;',
  pragma: 'export const q = "PRAGMA user_version";',
  transaction: "export const q = 'BEGIN';",
  cte: "export const q = 'WITH w AS (SELECT 1) SELECT * FROM w';",
};
const rawConnection = "import { openDatabase } from '../store/database';\nexport const o = openDatabase;";

describe('data layer lint rule', () => {
  it.each([
    ...Object.entries(sqlite).map(([what, code]) => [`better-sqlite3 (${what})`, code, 'electron/core/report/x.ts']),
    ['better-sqlite3 in the CLI', sqlite.default, 'electron/cli/commands/x.ts'],
    ['better-sqlite3 in the web host', sqlite.types, 'electron/web/x.ts'],
    ...Object.entries(sql).map(([what, code]) => [`SQL (${what})`, code, 'electron/core/engine/x.ts']),
    ['SQL in the CLI', sql.select, 'electron/cli/commands/x.ts'],
    ['SQL in shared', sql.template, 'shared/x.ts'],
    ['SQL in the renderer', sql.select, 'renderer/src/x.ts'],
    ['a raw connection', rawConnection, 'electron/core/engine/x.ts'],
  ])('refuses %s outside the store', async (_what, code, file) => {
    expect(await refused(code, file)).not.toEqual([]);
  });

  it('says where SQL and the driver belong', async () => {
    expect(await refused(sql.select, 'electron/core/explorer/x.ts')).toEqual(['SQL belongs in electron/core/store: add a repository method there and call it.']);
    expect((await refused(sqlite.types, 'electron/core/alerts/x.ts'))[0]).toMatch(/openStore/);
  });

  it.each([
    ...Object.entries(sqlite).map(([what, code]) => [`better-sqlite3 (${what})`, code, 'electron/core/store/x.ts']),
    ...Object.entries(sql).map(([what, code]) => [`SQL (${what})`, code, 'electron/core/store/x.ts']),
    ['a raw connection in the store', "import { openDatabase } from './database';\nexport const o = openDatabase;", 'electron/core/store/x.ts'],
    ['better-sqlite3 in a test', sqlite.default, 'electron/core/report/x.test.ts'],
    ['SQL in a test', sql.template, 'electron/cli/commands/x.test.ts'],
    ['a raw connection in a test', rawConnection, 'electron/core/engine/x.test.ts'],
    ['SQL in a test kit', sql.select, 'electron/core/explorer/explorerTestKit.ts'],
    ['SQL in the benchmarks', sql.select, 'bench/x.ts'],
    ['better-sqlite3 in the benchmarks', sqlite.default, 'bench/x.ts'],
  ])('accepts %s', async (_what, code, file) => {
    expect(await refused(code, file)).toEqual([]);
  });

  it.each([
    ["import { openStore } from '../store/store';\nexport const o = openStore;", 'electron/core/engine/x.ts'],
    ["export const label = 'Select a capture file';", 'electron/core/engine/x.ts'],
    ["export const help = 'with --from-stream: first, last or a time';", 'electron/cli/commands/x.ts'],
    ["export const method = 'DELETE';", 'electron/web/x.ts'],
    ["export const column = 'time_ms >= ?';", 'electron/core/explorer/x.ts'],
  ])('accepts %s in %s (not SQL, or not the driver)', async (code, file) => {
    expect(await refused(code, file)).toEqual([]);
  });
});
