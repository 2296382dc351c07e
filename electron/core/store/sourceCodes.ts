// Thread: the engine thread (inside the ingest transaction), or the CLI's compaction.
import type { Database, Statement } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * The codes of CloudEvent sources (event_sources, migration 250) for writers: a stored text
 * holds its source's code instead of its text (shared/events/storedEnvelope.ts). A handful of
 * sources per database, each looked up once.
 */
export class SourceCodes {
  private readonly sql: StatementCache;
  private readonly codes = new Map<string, number>();
  private find: Statement | null = null;
  private create: Statement | null = null;
  private coded: boolean | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * Whether the database codes sources. A database of a schema before 250 (a tool or a test
   * writes into it before it migrates) keeps each source in its texts, and its writers write them so.
   */
  isCoded(): boolean {
    return (this.coded ??= this.sql.pluck("SELECT 1 FROM pragma_table_info('event_sources') WHERE name = 'code'").get() !== undefined);
  }

  /** The code of `source` (from 1), added to event_sources in the caller's transaction when new. */
  codeOf(source: string): number {
    const known = this.codes.get(source);
    if (known !== undefined) return known;
    (this.create ??= this.sql.prepare('INSERT OR IGNORE INTO event_sources (source) VALUES (?)')).run(source);
    const code = (this.find ??= this.sql.pluck('SELECT code FROM event_sources WHERE source = ?')).get(source) as number;
    this.codes.set(source, code);
    return code;
  }

  /**
   * A write transaction rolled back: a code it added is gone, and the next new source may be
   * given the same number. Everything is looked up again (a handful of sources).
   */
  forgetUncommitted(): void {
    this.codes.clear();
  }
}
