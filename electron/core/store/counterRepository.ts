// Thread: `add` on the engine thread (in the ingest transaction); reads on either thread.
import type { Database, Statement } from 'better-sqlite3';
import { QUARANTINE_HELD_COUNTER } from './migrations/330_quarantine_held';
import { StatementCache } from './statementCache';

/** The store's running counters (migration 001's `counters` table), by name. */
export const COUNTERS = ['duplicates', 'redelivered_duplicates', 'quarantined', 'unknown_types', 'conflicting_duplicates'] as const;
export type CounterName = (typeof COUNTERS)[number];
/** Counters SQLite's triggers keep (never added to by the writer). */
export type TriggerCounterName = typeof QUARANTINE_HELD_COUNTER;

const ADD_COUNTER = `INSERT INTO counters (name, value) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`;

export class CounterRepository {
  private readonly sql: StatementCache;
  private addStatement: Statement | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  add(name: CounterName, n: number): void {
    (this.addStatement ??= this.sql.prepare(ADD_COUNTER)).run(name, n);
  }

  /** The counter's value (0 when it never counted). */
  value(name: CounterName): number {
    return this.stored(name) ?? 0;
  }

  /**
   * The quarantined messages the database holds now (the Quarantine tab's rows), kept by
   * migration 330's triggers; a database before it (read-only, not migrated) counts its rows.
   */
  quarantineHeld(): number {
    return this.stored(QUARANTINE_HELD_COUNTER) ?? (this.sql.prepare('SELECT COUNT(*) FROM quarantine').pluck().get() as number);
  }

  private stored(name: CounterName | TriggerCounterName): number | null {
    const row = this.sql.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined;
    return row?.value ?? null;
  }
}
