// Migration 290 indexes quarantined bodies so that a redelivered refusal is found with one seek:
// a database of the schema before it carries over, and its refusals already stored count.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';

const dir = tempDir('payops-m290-');
const refused = (body: string, redelivered: boolean): IncomingMessage => {
  const raw = { body: Buffer.from(body), arrivalMs: 1000, routingKey: 'payment.authorized' };
  return { raw, result: decodeMessage(raw), redelivered };
};

describe('migration 290: redelivered refusals found by their body', () => {
  it('carries a database over: the index is made, and a refusal stored before it is found', () => {
    const file = path.join(dir, 'm290.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 290));
    new EventWriter(old).commit([refused('not json', false)]);
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'quarantine_body'").pluck().get()).toBe('quarantine_body');
      const again = new EventWriter(db).commit([refused('not json', true), refused('not json either', true)]);
      expect(again).toMatchObject({ quarantined: 1, redeliveredDuplicates: 1 });
      expect(db.prepare('SELECT COUNT(*) FROM quarantine').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});
