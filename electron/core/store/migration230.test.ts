// Migration 230: the rollups hold a code for each (dim, key) pair instead of the text. A
// database written in the named form answers the same rollup queries read-only before it
// migrates and after it, holds exactly the same rows, and ingest then goes on in the coded form.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { toNamedRollups } from '../../../test/support/namedRollups';
import { storeScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { migrateAfterReadOnlyAnswers } from '../../../test/support/migrationKit';
import type { MinuteDim } from './minuteRollupRepository';
import { openStore, type ReadStore } from './store';

const dir = tempDir('payops-m230-');
const MINUTE_MS = 60_000;
const DIMS: MinuteDim[] = ['type', 'authorized', 'declined', 'decline', 'decision', 'failed', 'latency', 'payment'];
const byKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));
const byStep = <T extends { t: number; key: string }>(rows: T[]) => [...rows].sort((a, b) => a.t - b.t || a.key.localeCompare(b.key));

/** Every rollup row, in one order whatever the form. */
function allRows(db: Database.Database): Record<string, unknown[]> {
  return {
    second: db.prepare('SELECT sec, dim, key, count, amount FROM rollup_second ORDER BY sec, dim, key').all(),
    minute: db.prepare('SELECT dim, minute, key, count, amount FROM rollup_minute ORDER BY dim, minute, key').all(),
    tenMinute: db.prepare('SELECT dim, bucket, key, count, amount FROM rollup_ten_minute ORDER BY dim, bucket, key').all(),
  };
}

describe('migration 230: rollup dims and keys stored once, as codes', () => {
  it('a database in the named form answers the same read-only, migrates to the same rows, and ingest goes on coded', async () => {
    // 47 minutes: ten-minute buckets are summed, and windows cross their edges.
    const s = await storeScenario(dir, 'decline-spike', { rate: 10, baselineMinutes: 40, anomalyMinutes: 7 });
    const toSec = Math.floor(s.toMs / 1000);
    const fromSec = toSec - 47 * 60;
    const fromMin = Math.floor(fromSec / 60);
    const toMin = Math.ceil(toSec / 60) + 1;
    const answers = (store: ReadStore) => ({
      byType: store.rollups.countsByType(),
      authorized: store.rollups.authorizedByCurrency(),
      typeSteps: byStep(store.rollups.typeCountsBySteps(60, fromSec, toSec)),
      partial: [...store.rollups.sumsExceptType(fromSec + 17, toSec - 23)].sort((a, b) => `${a.dim}\u0000${a.key}`.localeCompare(`${b.dim}\u0000${b.key}`)),
      decisions: [...store.rollups.decisionsByBucket(fromSec, 300, fromSec, toSec)].sort((a, b) => a.b - b.b || a.key.localeCompare(b.key)),
      minutes: DIMS.map((dim) => ({
        dim,
        one: byStep(store.minuteRollups.bySteps(dim, 1, fromMin + 3, toMin)),
        ten: byStep(store.minuteRollups.bySteps(dim, 10, fromMin, toMin)),
        hour: byStep(store.minuteRollups.bySteps(dim, 60, fromMin - 7, toMin)),
        totals: byKey(store.minuteRollups.totals(dim, fromMin + 2, toMin - 3)),
      })),
    });
    const want = answers(s.store);
    const dimsSeen = new Set(want.minutes.filter((m) => m.totals.length > 0).map((m) => m.dim));
    expect([...dimsSeen].sort()).toEqual([...DIMS].sort()); // every dim has cells to lose
    const coded = new Database(s.file, { readonly: true });
    const rows = allRows(coded);
    coded.close();
    s.store.close();

    const raw = new Database(s.file);
    toNamedRollups(raw, 220);
    expect(raw.prepare("SELECT type FROM sqlite_schema WHERE name = 'rollup_second'").pluck().get()).toBe('table');
    expect(allRows(raw)).toEqual(rows);
    raw.close();

    // Opened read-only (never migrated), the named tables are read as they are.
    const { store: again, migrated } = migrateAfterReadOnlyAnswers(s.file, answers, want);
    for (const name of ['rollup_second', 'rollup_minute', 'rollup_ten_minute']) {
      expect(migrated.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck().get(name)).toBe('view');
    }
    expect(allRows(migrated)).toEqual(rows);
    // Each pair once: as many codes as distinct pairs.
    const pairs = migrated
      .prepare('SELECT COUNT(*) FROM (SELECT dim, key FROM rollup_minute UNION SELECT dim, key FROM rollup_second UNION SELECT dim, key FROM rollup_ten_minute)')
      .pluck()
      .get();
    expect(migrated.prepare('SELECT COUNT(*) FROM rollup_key').pluck().get()).toBe(pairs);
    expect(answers(again)).toEqual(want);

    // Ingest goes on into the coded tables: a new currency is a new code, counted once.
    const t = s.toMs + 5 * MINUTE_MS;
    const e = paymentEvent('payment.authorized', { time: new Date(t).toISOString() }, { merchantId: 'm_after_230', paymentId: 'pay_after_230', amount: 1_250, currency: 'KWD' });
    const body = Buffer.from(JSON.stringify(e));
    const raw2 = { body, headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: t };
    expect(again.ingest.commit([{ raw: raw2, result: decodeMessage(raw2) }]).inserted).toHaveLength(1);
    expect(again.rollups.authorizedByCurrency()).toEqual(byKey([...want.authorized, { key: 'KWD', total: 1_250 }]));
    const minute = Math.floor(t / MINUTE_MS);
    expect(again.minuteRollups.bySteps('authorized', 1, minute, minute + 1)).toEqual([{ t: minute, key: 'KWD', n: 1, a: 1_250 }]);
    expect(migrated.prepare("SELECT COUNT(*) FROM rollup_key WHERE dim = 'authorized' AND key = 'KWD'").pluck().get()).toBe(1);
    migrated.close();
    again.close();
  }, 60_000);

  it('a batch that rolls back takes its new codes with it, and the retry stores its cells under codes that exist', () => {
    const store = openStore(`${dir}/rollback.db`);
    const db = new Database(`${dir}/rollback.db`);
    try {
      const message = (currency: string, n: number) => {
        const e = paymentEvent('payment.authorized', { time: new Date(1_800_000_000_000 + n * 1000).toISOString() }, { merchantId: 'm_rb', paymentId: `pay_rb_${n}`, amount: 100, currency });
        const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: 1_800_000_000_000 };
        return { raw, result: decodeMessage(raw) };
      };
      // A trigger another connection adds makes the batch's transaction fail at its minute
      // rollups, after its per-second cells have coded their new pairs.
      db.exec("CREATE TRIGGER fail_once BEFORE INSERT ON rollup_minute_coded BEGIN SELECT RAISE(ABORT, 'refused'); END");
      expect(() => store.ingest.commit([message('BHD', 1)])).toThrow(/refused/);
      expect(db.prepare('SELECT COUNT(*) FROM rollup_key').pluck().get()).toBe(0);
      db.exec('DROP TRIGGER fail_once');
      // A new pair is given a number the rolled-back ones had: no cell may read as another's.
      store.ingest.commit([message('KWD', 2)]);
      store.ingest.commit([message('BHD', 3)]);
      expect(store.rollups.countsByType()).toEqual([{ key: 'payment.authorized', n: 2 }]);
      expect(store.rollups.authorizedByCurrency()).toEqual([
        { key: 'BHD', total: 100 },
        { key: 'KWD', total: 100 },
      ]);
      expect(db.prepare("SELECT key, count FROM rollup_minute WHERE dim = 'authorized' ORDER BY key").all()).toEqual([
        { key: 'BHD', count: 1 },
        { key: 'KWD', count: 1 },
      ]);
    } finally {
      db.close();
      store.close();
    }
  });
});
