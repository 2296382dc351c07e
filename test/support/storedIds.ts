import Database from 'better-sqlite3';

/** Every stored (source, id) with how many rows it has: the proof of exactly-once storage. */
export function storedIdentities(dbFile: string): { total: number; distinct: number; ids: Set<string> } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT source, id FROM events').all() as { source: string; id: string }[];
    const ids = new Set(rows.map((r) => `${r.source}|${r.id}`));
    return { total: rows.length, distinct: ids.size, ids };
  } finally {
    db.close();
  }
}
