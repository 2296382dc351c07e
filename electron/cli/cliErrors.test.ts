import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './cliErrors';

describe('exit codes', () => {
  it('SQLite failing in the middle of a command is "database unusable" (3), not "anything else"', () => {
    const db = new Database(':memory:');
    let err: unknown;
    try {
      db.prepare('SELECT * FROM no_such_table').get();
    } catch (e) {
      err = e;
    } finally {
      db.close();
    }
    expect((err as Error).constructor.name).toBe('SqliteError');
    expect(exitCodeFor(err)).toBe(3);
    // As a worker reports it: the class name as `kind`.
    expect(exitCodeFor({ kind: 'SqliteError', message: 'database disk image is malformed' })).toBe(3);
    expect(exitCodeFor(new Error('something else'))).toBe(4);
  });
});
