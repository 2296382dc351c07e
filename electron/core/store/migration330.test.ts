// Migration 330 counts the quarantined messages a database holds now: a database of the schema
// before it carries over with its rows counted (not the `quarantined` total, which counts those
// the retention deleted), and the count follows inserts and deletes from then on.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { Retention } from './retention';
import { storeOn } from './store';

const dir = tempDir('payops-m330-');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const refused = (body: string, arrivalMs: number): IncomingMessage => {
  const raw = { body: Buffer.from(body), arrivalMs, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw) };
};

function databaseBefore330(file: string): void {
  const old = new Database(file);
  migrate(old, MIGRATIONS.filter((m) => m.version < 330));
  new EventWriter(old).commit([refused('old', NOW - 10 * DAY), refused('new 1', NOW - DAY), refused('new 2', NOW)]);
  new Retention(old).apply(7, NOW);
  old.close();
}

describe('migration 330: the quarantined messages held now, counted', () => {
  it('carries a database over with the rows it holds, and counts what is written and deleted after', () => {
    const file = path.join(dir, 'm330.db');
    databaseBefore330(file);
    const db = openDatabase(file);
    try {
      expect(db.prepare('SELECT COUNT(*) FROM quarantine').pluck().get()).toBe(2);
      const store = storeOn(db);
      expect(store.stats()).toMatchObject({ quarantined: 3, quarantineHeld: 2 });
      store.ingest.commit([refused('newer', NOW)]);
      store.applyRetention(1, NOW + DAY / 2);
      expect(db.prepare('SELECT COUNT(*) FROM quarantine').pluck().get()).toBe(2);
      expect(store.stats()).toMatchObject({ quarantined: 4, quarantineHeld: 2 });
    } finally {
      db.close();
    }
  });

  it('a database read as it is before it (no write access to migrate it) counts its rows', () => {
    const file = path.join(dir, 'm330-readonly.db');
    databaseBefore330(file);
    const db = new Database(file, { readonly: true });
    try {
      expect(storeOn(db).stats()).toMatchObject({ quarantined: 3, quarantineHeld: 2 });
    } finally {
      db.close();
    }
  });
});
