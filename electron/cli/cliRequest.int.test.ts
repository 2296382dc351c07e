// The command line is an outside entry point like IPC and the WebSocket: a command that does what
// an API request does is refused by that request's schema, naming the flag, before it opens the
// database (main.test.ts and webHost.test.ts prove the same for the other two entry points).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../core/store/database';
import { runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-cli-boundary-');

describe('command-line requests are validated by the contract, once, before the engine', () => {
  it('payops report: a title over the limit is refused naming --title; the database is never opened', async () => {
    const missing = path.join(dir, 'missing.db');
    const r = await runPayops(['report', '--db', missing, '--title', 'x'.repeat(201), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^payops: error: --title: .*200/m);
    expect(fs.existsSync(missing)).toBe(false);

    const db = path.join(dir, 'present.db');
    openDatabase(db).close();
    const before = fs.statSync(db).mtimeMs;
    const r2 = await runPayops(['report', '--db', db, '--mask', '', '--json']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/--mask: /);
    expect(fs.statSync(db).mtimeMs).toBe(before);
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
  });

  it('payops alerts: a rule name over the limit is refused naming --rule before the database is looked at', async () => {
    const r = await runPayops(['alerts', '--db', path.join(dir, 'none.db'), '--rule', 'r'.repeat(201), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^payops: error: --rule: /m);
  });
});
