// The step every migration test of a rewritten table takes: the database in its form before
// the migration answers as it did when opened read-only (a read-only store never migrates),
// then, opened for writing, it migrates to the newest version.
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { NEWEST_VERSION } from '../../electron/core/store/migrate';
import { openStore, storeOn, type ReadStore, type Store } from '../../electron/core/store/store';

/**
 * Checks that `file`, read-only, gives `answers` equal to `want`; then opens it (migrating it)
 * and checks its user_version. Returns the migrated store and a read-only connection on it,
 * both for the caller to close.
 */
export function migrateAfterReadOnlyAnswers<A>(file: string, answers: (store: ReadStore) => A, want: A): { store: Store; migrated: Database.Database } {
  const readOnly = new Database(file, { readonly: true });
  expect(answers(storeOn(readOnly))).toEqual(want);
  readOnly.close();

  const store = openStore(file);
  const migrated = new Database(file, { readonly: true });
  expect(migrated.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
  return { store, migrated };
}
