import type { Database } from 'better-sqlite3';

/**
 * Runs `write` committed to the WAL without its fsync (synchronous NORMAL): for a record that has
 * to outlive the process (a crash), not the machine, written before a message is handed on, which
 * would otherwise pay an fsync on top of its own commit's.
 */
export function withoutFsync<T>(db: Database, write: () => T): T {
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  if (synchronous > 1) db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    if (synchronous > 1) db.pragma(`synchronous = ${synchronous}`);
  }
}
