// The built CLI on files it cannot use as a database: exit code 3 (README "Exit codes"), a
// message naming the file and the reason, no stack trace, and the file left as it was.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PAYOPS_BIN, runPayops } from '../../test/support/cli';
import { declineSpikeCapture } from '../../test/support/declineSpikeCapture';
import { tempDir } from '../../test/support/tempDir';
import { NEWEST_VERSION } from '../core/store/migrate';

const dir = tempDir('payops-unusable-');
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const capture = declineSpikeCapture(path.join(dir, 'spike.ndjson'), T0);
const window = ['--from', new Date(T0).toISOString(), '--to', new Date(T0 + 90_000).toISOString()];

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const readers = (file: string): string[][] => [
  ['stats', '--db', file, '--json'],
  ['report', '--db', file, ...window, '--json'],
  ['explain', '--db', file, ...window],
  ['alerts', '--db', file, '--json'],
  // The "already holds events?" look before a replay reads it too.
  ['replay', capture, '--db', file],
];

async function expectRefused(file: string, reason: RegExp, args: string[][]): Promise<void> {
  const before = sha(file);
  for (const command of args) {
    const r = await runPayops(command);
    expect({ command: command[0], code: r.code }).toEqual({ command: command[0], code: 3 });
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
  expect(sha(file)).toBe(before);
}

describe('payops on a file it cannot use as a database', () => {
  it('a file that is not SQLite', async () => {
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'not a database, just notes\n'.repeat(40));
    await expectRefused(file, /file is not a database/, [...readers(file), ['replay', capture, '--db', file, '--append']]);
  });

  it('a database written by a newer payops', async () => {
    const file = path.join(dir, 'newer.db');
    expect((await runPayops(['replay', capture, '--db', file])).code).toBe(0);
    const db = new Database(file);
    db.pragma(`user_version = ${NEWEST_VERSION + 1}`);
    db.close();
    await expectRefused(file, /newer than this payops .*upgrade payops/, [...readers(file).slice(0, 4), ['replay', capture, '--db', file, '--append']]);
  });

  it("another application's SQLite file", async () => {
    const file = path.join(dir, 'crm.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    await expectRefused(file, /not a payops database/, [...readers(file), ['replay', capture, '--db', file, '--append']]);
  });

  it('an empty file (made by mktemp) is a new database for a replay', async () => {
    const file = path.join(dir, 'made-by-mktemp.db');
    fs.writeFileSync(file, '');
    const r = await runPayops(['replay', capture, '--db', file, '--json']);
    expect(r.code).toBe(0);
    expect((await runPayops(['stats', '--db', file, '--json'])).stdout).toMatch(/"events":900/);
  });
});

describe('payops on a database another process holds', () => {
  it('a replay that cannot take the write lock: exit 3 naming the file and the other process; the events arrive once it lets go', async () => {
    const file = path.join(dir, 'held.db');
    fs.writeFileSync(path.join(dir, 'one.ndjson'), `${fs.readFileSync(capture, 'utf8').split('\n')[0]}\n`);
    expect((await runPayops(['replay', path.join(dir, 'one.ndjson'), '--db', file])).code).toBe(0);
    const holder = new Database(file);
    try {
      holder.prepare('BEGIN IMMEDIATE').run();
      const r = await runPayops(['replay', capture, '--db', file, '--append']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`cannot use database ${file}: another process has held a write transaction on it`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // Readers are not held up by a writer (WAL).
      expect(lastJsonEvents((await runPayops(['stats', '--db', file, '--json'])).stdout)).toBe(1);
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
    expect((await runPayops(['replay', capture, '--db', file, '--append'])).code).toBe(0);
    expect(lastJsonEvents((await runPayops(['stats', '--db', file, '--json'])).stdout)).toBe(900);
  });
});

function lastJsonEvents(stdout: string): number {
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { events: number }).events;
}

/** Runs the CLI as a user without write access to what root made (root may write anything). */
function payopsAsReader(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const command = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
  const r = spawnSync(command[0], [...command.slice(1), PAYOPS_BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('payops on a database in a folder it may not write', () => {
  it('says the folder is the cause (a WAL database needs its -shm file), not "attempt to write a readonly database"', async () => {
    const folder = path.join(dir, 'archive');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'incident.db');
    expect((await runPayops(['replay', capture, '--db', file])).code).toBe(0);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(file, 0o444);
    fs.chmodSync(folder, 0o555);
    try {
      const r = payopsAsReader(['stats', '--db', file, '--json']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`cannot read database ${file}: its folder ${folder} is not writable`);
      expect(r.stderr).not.toMatch(/attempt to write/);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
  });
});
