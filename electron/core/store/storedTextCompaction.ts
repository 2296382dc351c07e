// Thread: the CLI's (`payops compact`), on a writable connection.
//
// Migration 210 left rows stored before it with their whole CloudEvent text (rewriting ten
// million rows while a console opens would hold it for minutes). This rewrites them into the
// stored form (shared/events/storedEnvelope.ts) when an operator asks: a chunk of rows per
// transaction, so a running console's ingest waits for one chunk at most. A row already in
// the form, or whose text would not get shorter, is left as it is. The source is coded as
// ingest codes it (migration 250), or, in a database before 250, kept in the text.
import type { Database } from 'better-sqlite3';
import { STORED_MARK, compactEnvelope, isJsonObject, type EnvelopeColumns } from '../../../shared/events/storedEnvelope';
import { pickColumns, selectList } from './columns';
import { CodeCatalogue } from './codeCatalogue';
import { EVENT_COLUMNS, withStoredSource } from './eventRepository';

export interface StoredTextCompaction {
  /** Rows read, and of those rewritten. */
  rows: number;
  rewritten: number;
  /** Text bytes of the rewritten rows, before and after. */
  bytesBefore: number;
  bytesAfter: number;
}

type Row = EnvelopeColumns & { seq: number; json: string };

const ROW_SELECT = selectList(
  pickColumns(EVENT_COLUMNS, ['seq', 'type', 'timeMs', 'paymentId', 'merchantId', 'amount', 'currency', 'country', 'cardBin', 'declineCode', 'score', 'decision']),
);
const CHUNK = `SELECT ${ROW_SELECT}, json FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?`;

/** Rewrites every row stored whole; `onChunk` hears the running totals after each chunk. */
export function compactStoredTexts(db: Database, options: { chunkRows?: number; onChunk?: (progress: StoredTextCompaction) => void } = {}): StoredTextCompaction {
  const chunkRows = options.chunkRows ?? 10_000;
  const read = db.prepare(CHUNK);
  const write = db.prepare('UPDATE event_log SET json = ? WHERE seq = ?');
  const totals: StoredTextCompaction = { rows: 0, rewritten: 0, bytesBefore: 0, bytesAfter: 0 };
  const sources = CodeCatalogue.sourceCodes(db);
  const chunk = db.transaction((afterSeq: number): number | null => {
    const rows = read.all(afterSeq, chunkRows) as Row[];
    for (const row of rows) {
      const text = storedForm(row, sources);
      if (text === null) continue;
      write.run(text, row.seq);
      totals.rewritten += 1;
      totals.bytesBefore += Buffer.byteLength(row.json);
      totals.bytesAfter += Buffer.byteLength(text);
    }
    totals.rows += rows.length;
    return rows.length < chunkRows ? null : rows[rows.length - 1].seq;
  });
  for (let after: number | null = 0; after !== null; ) {
    try {
      after = chunk(after);
    } catch (err) {
      sources.forgetUncommitted(); // as ingest does: a code this chunk added is gone
      throw err;
    }
    options.onChunk?.({ ...totals });
  }
  return totals;
}

/** The row's text in the stored form, or null when it is in it already or would not get shorter. */
function storedForm(row: Row, sources: CodeCatalogue): string | null {
  let ce: unknown;
  try {
    ce = JSON.parse(row.json);
  } catch {
    return null;
  }
  if (!isJsonObject(ce) || STORED_MARK in ce) return null;
  const compact = compactEnvelope(ce, row);
  const source = ce.source;
  const text = typeof source === 'string' ? withStoredSource(compact, source, sources) : compact;
  return text.length < row.json.length ? text : null;
}

/**
 * Gives the pages freed by the rewrite back to the file system (VACUUM, then a WAL checkpoint).
 * False when another process still reads the database: the vacuumed pages then wait in the WAL
 * until it lets go. Another process writing makes VACUUM throw SQLITE_BUSY after the busy timeout.
 */
export function vacuumDatabase(db: Database): boolean {
  // VACUUM builds the new file in a temporary database: in memory (the connection's default
  // here) it would hold the whole database in RAM.
  db.pragma('temp_store = FILE');
  db.exec('VACUUM');
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  return checkpoint.busy === 0;
}
