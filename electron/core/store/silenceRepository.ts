// Thread: the engine thread (silences are read and written with the live evaluator).
import type { Database } from 'better-sqlite3';
import type { AlertSilence } from '../../../shared/alerts';
import { selectList, type Columns } from './columns';
import { StatementCache } from './statementCache';

/** alert_silences (migration 010); matchers are kept as JSON text. */
const SILENCE_COLUMNS = {
  id: 'id',
  matchers: 'matchers_json',
  endsAt: 'ends_at',
  comment: 'comment',
  createdBy: 'created_by',
  createdAt: 'created_at',
  expiredAt: 'expired_at',
} as const satisfies Columns<AlertSilence>;
const SELECT = selectList(SILENCE_COLUMNS);
type SilenceRow = Omit<AlertSilence, 'matchers'> & { matchers: string };
const SAVE = `INSERT OR REPLACE INTO alert_silences (${Object.values(SILENCE_COLUMNS).join(', ')})
  VALUES (${Object.keys(SILENCE_COLUMNS).map((field) => `@${field}`).join(', ')})`;

export class SilenceRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** Inserts or replaces (an operator expiring one early saves it again). */
  save(s: AlertSilence): void {
    const row: SilenceRow = { ...s, matchers: JSON.stringify(s.matchers) };
    this.sql.prepare(SAVE).run(row);
  }

  /** Silences not expired by an operator and ending after `activeAt` (all when omitted), oldest first. */
  list(activeAt?: number): AlertSilence[] {
    const rows = (
      activeAt === undefined
        ? this.sql.prepare(`SELECT ${SELECT} FROM alert_silences ORDER BY created_at`).all()
        : this.sql.prepare(`SELECT ${SELECT} FROM alert_silences WHERE expired_at IS NULL AND ends_at > ? ORDER BY created_at`).all(activeAt)
    ) as SilenceRow[];
    return rows.map((r) => ({ ...r, matchers: JSON.parse(r.matchers) }));
  }
}
