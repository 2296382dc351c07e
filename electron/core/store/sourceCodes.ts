// Thread: the engine thread (inside the ingest transaction), or the CLI's compaction.
import type { Database } from 'better-sqlite3';
import { CodeCatalogue } from './codeCatalogue';
import { StatementCache } from './statementCache';

/**
 * The codes of CloudEvent sources (event_sources, migration 250) for writers: a stored text
 * holds its source's code instead of its text (shared/events/storedEnvelope.ts). A handful of
 * sources per database, each looked up once.
 */
export class SourceCodes {
  private readonly sql: StatementCache;
  private readonly catalogue: CodeCatalogue;
  private coded: boolean | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    this.catalogue = new CodeCatalogue(this.sql, 'event_sources', 'code', ['source']);
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
    return this.catalogue.codeOf(source);
  }

  /** A write transaction rolled back: codes it added are gone (CodeCatalogue.forgetUncommitted). */
  forgetUncommitted(): void {
    this.catalogue.forgetUncommitted();
  }
}
