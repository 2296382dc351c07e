import type { Database } from 'better-sqlite3';

// Queue samples kept only depth and consumers, so the oldest waiting message's age (a queue
// rule's metric) had no data where stored samples are read: backtests, and a live session
// right after a restart. Nullable: rows stored before it, and polls that cannot measure it
// (no management API, no AMQP timestamp), are unknown, never 0.
export const migration340 = {
  version: 340,
  name: 'queue samples: the oldest waiting message age',
  up(db: Database): void {
    // Idempotent: a database rewound to an older user_version runs it again.
    const has = db.prepare("SELECT 1 FROM pragma_table_info('queue_depth') WHERE name = 'oldest_age_s'").get() !== undefined;
    if (!has) db.exec('ALTER TABLE queue_depth ADD COLUMN oldest_age_s REAL');
  },
};
