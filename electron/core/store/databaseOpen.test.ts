// Files that are not a payops database this payops can use: each open fails with
// DatabaseOpenError naming the file and the reason, and leaves the file as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { incoming } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { DatabaseOpenError, openDatabase } from './database';
import { NEWEST_VERSION } from './migrate';
import { openStore } from './store';

const dir = tempDir('payops-open-');

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A payops database holding `n` events, checkpointed into its main file. */
function payopsDatabase(name: string, n = 200): string {
  const file = path.join(dir, name);
  const store = openStore(file);
  store.ingest.commit(Array.from({ length: n }, (_, i) => incoming(paymentEvent('payment.authorized'), 1_700_000_000_000 + i)));
  store.close();
  return file;
}

function openError(file: string, readonly: boolean): DatabaseOpenError {
  try {
    openDatabase(file, { readonly }).close();
  } catch (err) {
    return err as DatabaseOpenError;
  }
  throw new Error(`${file} opened (${readonly ? 'read-only' : 'writable'})`);
}

describe('opening a file that payops cannot use', () => {
  it('a file that is not SQLite: refused by readers and writers, naming the file, left as it was', () => {
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'these are my notes, not a database; '.repeat(20));
    const before = sha(file);
    for (const readonly of [true, false]) {
      const err = openError(file, readonly);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/file is not a database/);
    }
    expect(sha(file)).toBe(before);
  });

  it('a directory: refused by readers and writers, saying it is a directory (not "disk I/O error")', () => {
    const folder = fs.mkdtempSync(path.join(dir, 'folder-'));
    for (const readonly of [true, false]) {
      const err = openError(folder, readonly);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect(err.message).toBe(`cannot open database ${folder}: it is a directory, not a database file`);
    }
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('a database cut short (a copy that stopped): refused by readers and writers, naming the file', () => {
    const file = payopsDatabase('cut.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    for (const readonly of [true, false]) {
      const err = openError(file, readonly);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/malformed/);
    }
  });

  it('a database written by a newer payops: refused by readers and writers, never changed', () => {
    const file = payopsDatabase('newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${NEWEST_VERSION + 10}`);
    db.close();
    const before = sha(file);
    for (const readonly of [true, false]) {
      const err = openError(file, readonly);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect(err.message).toContain(file);
      expect(err.message).toContain(`schema version ${NEWEST_VERSION + 10} is newer than this payops (${NEWEST_VERSION}); upgrade payops`);
    }
    expect(sha(file)).toBe(before);
  });

  it("another application's SQLite file: refused, and no payops table or WAL mode laid into it", () => {
    const file = path.join(dir, 'app.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES (\'ada\')');
    db.close();
    const before = sha(file);
    for (const readonly of [true, false]) {
      const err = openError(file, readonly);
      expect(err).toBeInstanceOf(DatabaseOpenError);
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/not a payops database .*customers/);
    }
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('an empty file: nothing to read, but a writer creates its database in it', () => {
    const file = path.join(dir, 'empty.db');
    fs.writeFileSync(file, '');
    const err = openError(file, true);
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect(err.message).toMatch(/empty\.db: it is empty/);
    openDatabase(file).close();
    const ro = openStore(file, { readonly: true });
    expect(ro.stats().events).toBe(0);
    ro.close();
  });
});

describe('a new database is readable by its owner only', () => {
  it.skipIf(process.platform === 'win32')('creates the file, its WAL and shared memory 0600 under a umask of 022; keeps the mode of a file that exists', () => {
    const before = process.umask(0o022);
    try {
      const file = payopsDatabase('private.db', 10);
      const store = openStore(file);
      store.ingest.commit([incoming(paymentEvent('payment.authorized'), 1_700_000_100_000)]);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect((fs.statSync(f).mode & 0o777).toString(8), f).toBe('600');
      store.close();

      const shared = path.join(dir, 'shared.db');
      fs.writeFileSync(shared, '');
      fs.chmodSync(shared, 0o640);
      openStore(shared).close();
      expect((fs.statSync(shared).mode & 0o777).toString(8)).toBe('640');
    } finally {
      process.umask(before);
    }
  });
});
