import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RowBatch } from './rowBatch';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function table(): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-rowbatch-'));
  dirs.push(dir);
  const db = new Database(path.join(dir, 'rows.db'));
  db.exec('CREATE TABLE cells (at INTEGER NOT NULL, code INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (at, code)) WITHOUT ROWID');
  return db;
}

const upsert = (db: Database.Database) => new RowBatch(db, 'INSERT INTO cells (at, code, count) VALUES', 3, 'ON CONFLICT (at, code) DO UPDATE SET count = count + excluded.count');
const rows = (db: Database.Database) => db.prepare('SELECT at, code, count FROM cells ORDER BY at, code').all();

describe('RowBatch: many rows to a statement', () => {
  it('writes full statements as they fill and the rest at flush, upserting like one row at a time', () => {
    const db = table();
    const batch = upsert(db);
    const expected = new Map<string, number>();
    // 75 rows: two full statements of 32 while adding, 11 at the flush; keys repeat within a statement.
    for (let i = 0; i < 75; i++) {
      const at = i % 40;
      const code = i % 3;
      batch.add(at, code, i + 1);
      expected.set(`${at}/${code}`, (expected.get(`${at}/${code}`) ?? 0) + i + 1);
    }
    expect((db.prepare('SELECT COUNT(*) AS n FROM cells').get() as { n: number }).n).toBeLessThan(expected.size);
    batch.flush();
    const stored = rows(db) as { at: number; code: number; count: number }[];
    expect(new Map(stored.map((r) => [`${r.at}/${r.code}`, r.count]))).toEqual(expected);
    // A second round adds to what is stored.
    batch.add(0, 0, 1000);
    batch.flush();
    expect((db.prepare('SELECT count FROM cells WHERE at = 0 AND code = 0').get() as { count: number }).count).toBe(expected.get('0/0')! + 1000);
    db.close();
  });

  it('forgets what is queued when its transaction rolled back', () => {
    const db = table();
    const batch = upsert(db);
    const failing = db.transaction(() => {
      batch.add(1, 1, 5);
      throw new Error('disk full');
    });
    expect(() => failing()).toThrow('disk full');
    batch.discard();
    batch.add(2, 2, 7);
    batch.flush();
    expect(rows(db)).toEqual([{ at: 2, code: 2, count: 7 }]);
    db.close();
  });
});
