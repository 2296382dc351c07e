import type { Database } from 'better-sqlite3';

// Two dead letters with one message id (a producer's retry, one id dead-lettered from two
// queues) shared one audit history: a later redrive of the second read the first one's
// 'confirmed' as its own and removed it without sending it home. Each step now names the copy
// (a hash of the message's body and deaths, `copyIdOf`); older steps keep NULL and are read as
// before, by message id.
export const migration342 = {
  version: 342,
  name: 'redrive audit: which copy of a message',
  up(db: Database): void {
    // Idempotent: a database rewound to an older user_version runs it again.
    const has = db.prepare("SELECT 1 FROM pragma_table_info('redrive_audit') WHERE name = 'copy_id'").get() !== undefined;
    if (!has) db.exec('ALTER TABLE redrive_audit ADD COLUMN copy_id TEXT');
  },
};
