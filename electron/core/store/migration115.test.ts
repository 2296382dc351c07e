// Migration 115: a database whose 'decision' rollups counted every risk event (risk.flagged
// and risk.blocked repeat their scoring's decision) is rebuilt to one decision per risk.scored.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoded, legacyEventWriter } from '../../../test/support/legacyEventStore';
import { tempDir } from '../../../test/support/tempDir';
import { NEWEST_VERSION, migrate } from './migrate';
import { migration001 } from './migrations/001_events';
import { migration010 } from './migrations/010_alerts';
import { migration115 } from './migrations/115_scored_decisions';

const dir = tempDir('payops-m115-');

describe('migration 115: risk decisions from risk.scored only', () => {
  it('rebuilds the decision rollups of a database written before it', () => {
    const db = new Database(path.join(dir, 'old.db'));
    try {
      migrate(db, [migration001, migration010]);
      const t0 = Date.UTC(2026, 2, 1, 12, 0, 0);
      const events: Record<string, unknown>[] = [];
      for (let i = 0; i < 60; i++) {
        const decision = ['approve', 'review', 'block'][i % 3];
        const data = { paymentId: `p${i}`, merchantId: 'm', score: 10 + i, decision };
        events.push({ specversion: '1.0', id: `s${i}`, source: 'risk', type: 'risk.scored', time: new Date(t0 + i * 700).toISOString(), data });
        if (decision !== 'approve') {
          events.push({ specversion: '1.0', id: `a${i}`, source: 'risk', type: decision === 'block' ? 'risk.blocked' : 'risk.flagged', time: new Date(t0 + i * 700 + 400).toISOString(), data });
        }
      }
      legacyEventWriter(db).commit(decoded(events.map((e) => ({ body: Buffer.from(JSON.stringify(e)), routingKey: String(e.type), arrivalMs: Date.parse(String(e.time)) }))));
      // What the writer of before stored: a decision cell for every risk event.
      db.exec(`DELETE FROM rollup_second WHERE dim = 'decision';
        INSERT INTO rollup_second (sec, dim, key, count, amount)
          SELECT time_ms / 1000, 'decision', decision, COUNT(*), SUM(score) FROM events WHERE category = 'risk' GROUP BY 1, 3`);
      const decisions = () =>
        Object.fromEntries(
          (db.prepare("SELECT key, SUM(count) n FROM rollup_second WHERE dim = 'decision' GROUP BY key ORDER BY key").all() as { key: string; n: number }[]).map((r) => [r.key, r.n]),
        );
      expect(decisions()).toEqual({ approve: 20, block: 40, review: 40 });

      expect(migrate(db, [migration001, migration010, migration115])).toBe(115);
      expect(decisions()).toEqual({ approve: 20, block: 20, review: 20 });
      // Per second too, with the score sums the writer keeps.
      const cells = db.prepare("SELECT sec, key, count, amount FROM rollup_second WHERE dim = 'decision' ORDER BY sec, key").all();
      const want = db
        .prepare("SELECT time_ms / 1000 sec, decision key, COUNT(*) count, SUM(score) amount FROM events WHERE type = 'risk.scored' GROUP BY 1, 2 ORDER BY 1, 2")
        .all();
      expect(cells).toEqual(want);
      // Migration 170 then carries the rebuilt rollups into the per-minute ones.
      expect(migrate(db)).toBe(NEWEST_VERSION);
      const minuteDecisions = db.prepare("SELECT key, SUM(count) n FROM rollup_minute WHERE dim = 'decision' GROUP BY key ORDER BY key").all();
      expect(minuteDecisions).toEqual([
        { key: 'approve', n: 20 },
        { key: 'block', n: 20 },
        { key: 'review', n: 20 },
      ]);
    } finally {
      db.close();
    }
  });
});
