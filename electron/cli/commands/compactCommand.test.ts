// `payops compact` as an operator runs it (the built CLI: `npm run build:core` first), on a
// database whose events were stored whole before migration 210.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, runPayops } from '../../../test/support/cli';
import { asBefore, incoming, sentEvents, writerBefore240 } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../../core/store/database';
import { MIGRATIONS, migrate } from '../../core/store/migrate';
import { storeOn } from '../../core/store/store';

const dir = tempDir('payops-compact-cli-');

interface Summary {
  rows: number;
  rewritten: number;
  bytesBefore: number;
  bytesAfter: number;
  fileBytesBefore: number;
  fileBytesAfter: number;
  vacuumed: boolean;
}

/** A database of schema 200 holding `copies` rounds of the sent events, every text whole. */
function databaseFromBefore(file: string, copies: number): Record<string, unknown>[] {
  const db = new Database(file);
  const sent: Record<string, unknown>[] = [];
  try {
    db.pragma('journal_mode = WAL'); // as payops opens every database
    migrate(db, MIGRATIONS.filter((m) => m.version < 210));
    for (let k = 0; k < copies; k++) {
      const round = sentEvents().map((ce) => ({ ...ce, id: `${String(ce.id)}.c${k}` }));
      writerBefore240(db).commit(round.map((ce, i) => asBefore(incoming(ce, 1000 + i))));
      sent.push(...round);
    }
  } finally {
    db.close();
  }
  return sent;
}

describe('payops compact', () => {
  it('rewrites the texts stored whole, shrinks the file with --vacuum, and every event reads back the same', async () => {
    const file = path.join(dir, 'old.db');
    const sent = databaseFromBefore(file, 20);
    const r = await runPayops(['compact', '--db', file, '--vacuum', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = lastJson<Summary>(r.stdout);
    // Every row gets shorter: unknown types too lose their type and specversion.
    expect(s).toMatchObject({ rows: sent.length, rewritten: sent.length, vacuumed: true });
    expect(s.bytesAfter / s.bytesBefore).toBeLessThan(0.5);
    expect(s.fileBytesAfter).toBeLessThan(s.fileBytesBefore * 0.8);
    expect(s.fileBytesAfter).toBe(fs.statSync(file).size);

    const db = openDatabase(file);
    try {
      const store = storeOn(db);
      const byId = new Map(sent.map((ce) => [ce.id as string, ce]));
      const rows = db.prepare(`SELECT seq, json ->> '$.id' AS id FROM event_log`).all() as { seq: number; id: string }[];
      expect(rows).toHaveLength(sent.length);
      for (const row of rows) expect(JSON.parse(store.events.get(row.seq)!.json)).toEqual(byId.get(row.id));
      // The rewritten texts hold their source's code (migration 250), as ingest writes them.
      expect(db.prepare(`SELECT COUNT(*) FROM event_log WHERE json ->> '$.source' IS NOT NULL OR NOT (json ->> '$."~"') & 8`).pluck().get()).toBe(0);
      for (const v of db.prepare('SELECT id, json FROM events').all() as { id: string; json: string }[]) expect(JSON.parse(v.json)).toEqual(byId.get(v.id));
    } finally {
      db.close();
    }

    // Again: nothing left to rewrite.
    const again = lastJson<Summary>((await runPayops(['compact', '--db', file, '--json'])).stdout);
    expect(again).toMatchObject({ rows: sent.length, rewritten: 0 });
  });

  it('--vacuum on a database another process is reading: exit code 3, and it says to close it', async () => {
    const file = path.join(dir, 'held.db');
    databaseFromBefore(file, 2);
    const sizeBefore = fs.statSync(file).size;
    const reader = new Database(file);
    try {
      // An open read transaction, as a console's explorer query would hold one.
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT COUNT(*) FROM event_log').get();
      const r = await runPayops(['compact', '--db', file, '--vacuum']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/in use by another process: close it and run compact --vacuum again/);
      reader.prepare('COMMIT').run();
    } finally {
      reader.close();
    }
    // Its texts were rewritten all the same; with the reader gone the file shrinks.
    const again = await runPayops(['compact', '--db', file, '--vacuum', '--json']);
    expect(again.code).toBe(0);
    expect(lastJson<Summary>(again.stdout)).toMatchObject({ rewritten: 0, vacuumed: true });
    expect(fs.statSync(file).size).toBeLessThan(sizeBefore * 0.8);
  });

  it('says so when the database is missing', async () => {
    const r = await runPayops(['compact', '--db', path.join(dir, 'none.db')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no database at .*none\.db/);
  });
});
