import type { Database } from 'better-sqlite3';

// The `quarantined` counter is every message quarantined since the database began; the
// retention (and an operator's DELETE) removes rows, so it was read as what the database holds
// and disagreed with the Quarantine tab. The rows held now get a counter of their own, kept by
// triggers so that every delete counts, whoever runs it, in the same transaction (a kill -9
// cannot part them). A migration that rebuilds the quarantine table must make these again.
export const QUARANTINE_HELD_COUNTER = 'quarantine_held';

export const migration330 = {
  version: 330,
  name: 'quarantine: the rows held now, counted',
  up(db: Database): void {
    db.exec(`
      CREATE TRIGGER IF NOT EXISTS quarantine_held_insert AFTER INSERT ON quarantine BEGIN
        INSERT INTO counters (name, value) VALUES ('${QUARANTINE_HELD_COUNTER}', 1)
          ON CONFLICT (name) DO UPDATE SET value = value + 1;
      END;
      CREATE TRIGGER IF NOT EXISTS quarantine_held_delete AFTER DELETE ON quarantine BEGIN
        UPDATE counters SET value = value - 1 WHERE name = '${QUARANTINE_HELD_COUNTER}';
      END;
      INSERT INTO counters (name, value) VALUES ('${QUARANTINE_HELD_COUNTER}', (SELECT COUNT(*) FROM quarantine))
        ON CONFLICT (name) DO UPDATE SET value = excluded.value;
    `);
  },
};
