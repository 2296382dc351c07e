// Thread: the writer's (`codeOf` inside its write transaction); `isCoded` on any thread.
import type { Database, Statement } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * The integer code of a name (one or more text columns) in an append-only catalogue table:
 * rollup_key (migration 230), segment_key (240), event_sources (250). Codes are looked up once
 * and kept; a new one is created in the caller's write transaction, so when that transaction
 * rolls back `forgetUncommitted` must be called: the code is gone, and the next new name may
 * be given the same number.
 */
export class CodeCatalogue {
  private readonly codes = new Map<string, number>();
  /** Two-column names by their columns (the rollups' and segments' (dim, key)): no joined key to build per lookup. */
  private readonly pairs = new Map<string, Map<string, number>>();
  private find: Statement | null = null;
  private create: Statement | null = null;
  private coded: boolean | null = null;

  constructor(
    private readonly sql: StatementCache,
    private readonly table: string,
    private readonly codeColumn: string,
    private readonly nameColumns: readonly string[],
  ) {}

  /** The (dim, key) pairs of the per-second, minute and ten-minute rollups (migration 230). */
  static rollupKeys(db: Database): CodeCatalogue {
    return new CodeCatalogue(new StatementCache(db), 'rollup_key', 'code', ['dim', 'key']);
  }

  /** The CloudEvent sources that stored texts name by code (migration 250). */
  static sourceCodes(db: Database): CodeCatalogue {
    return new CodeCatalogue(new StatementCache(db), 'event_sources', 'code', ['source']);
  }

  /**
   * Whether the database has the catalogue. One of a schema before its migration (a tool or a
   * test writes into it before it migrates) keeps the names in place, and its writers write them so.
   */
  isCoded(): boolean {
    return (this.coded ??= this.sql.pluck('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(this.table, this.codeColumn) !== undefined);
  }

  /** The code of the name whose columns are `parts` (in `nameColumns`' order), added when new. */
  codeOf(...parts: string[]): number {
    if (parts.length === 2) return this.codeOfPair(parts[0], parts[1]);
    return this.lookUp(parts.length === 1 ? parts[0] : parts.join('\u0000'), parts);
  }

  /**
   * codeOf of a two-column name, looked up without building a key: it runs for every rollup
   * and segment cell an ingest batch writes (about two per event on sparse traffic).
   */
  codeOfPair(first: string, second: string): number {
    let byFirst = this.pairs.get(first);
    if (!byFirst) this.pairs.set(first, (byFirst = new Map()));
    const known = byFirst.get(second);
    if (known !== undefined) return known;
    const code = this.lookUp(`${first}\u0000${second}`, [first, second]);
    byFirst.set(second, code);
    return code;
  }

  private lookUp(k: string, parts: string[]): number {
    const known = this.codes.get(k);
    if (known !== undefined) return known;
    const columns = this.nameColumns.join(', ');
    (this.create ??= this.sql.prepare(`INSERT OR IGNORE INTO ${this.table} (${columns}) VALUES (${this.nameColumns.map(() => '?').join(', ')})`)).run(...parts);
    const where = this.nameColumns.map((c) => `${c} = ?`).join(' AND ');
    const code = (this.find ??= this.sql.pluck(`SELECT ${this.codeColumn} FROM ${this.table} WHERE ${where}`)).get(...parts) as number;
    this.codes.set(k, code);
    return code;
  }

  /** After the write transaction rolled back: every code is looked up again (a few dozen names). */
  forgetUncommitted(): void {
    this.codes.clear();
    this.pairs.clear();
  }
}
