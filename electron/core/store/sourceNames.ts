// Thread: whichever thread owns the connection (reads only).
import type { Database, Statement } from 'better-sqlite3';
import type { SourceOfCode } from '../../../shared/events/storedEnvelope';
import { StatementCache } from './statementCache';

/**
 * The sources of the codes stored texts hold (event_sources, migration 250), for readers. A
 * code, once committed, always names the same source (nothing deletes from event_sources), so
 * what is read once is kept; a code not yet known is read again (a source new since).
 */
export class SourceNames {
  private readonly sql: StatementCache;
  private readonly names = new Map<number, string>();
  private find: Statement | null = null;
  /** The resolver a stored text's reader takes (bound once). */
  readonly sourceOf: SourceOfCode = (code) => this.names.get(code) ?? this.read(code);

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * The writer's own transaction rolled back: a code it read in it may be given to another
   * source next (only the writer's connection can have seen it).
   */
  forgetUncommitted(): void {
    this.names.clear();
  }

  private read(code: number): string {
    const source = (this.find ??= this.sql.pluck('SELECT source FROM event_sources WHERE code = ?')).get(code) as string | undefined;
    // Never a stored text's code (code 0 is "to be given", never stored): the row or the table is damaged.
    if (source === undefined) throw new Error(`a stored event names source code ${code}, which event_sources does not list`);
    this.names.set(code, source);
    return source;
  }
}
