// Migration 360 recounts the payments of segment cells stored before migration 350: from the
// rollups where they say it, from the stored events behind ingest. A database written before
// 350 opens, migrates, and once ingest has carried the pass through, its health board and
// explanations are those of the same traffic ingested fresh (per payment); cells whose events
// retention took, or whose value got its name within the minute, stay unknown; a second run
// changes nothing.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainRequestSchema, healthRequestSchema } from '../../../shared/triage';
import { decodeMessage } from '../../../shared/events/decode';
import { ADMISSION_T0, admissionTraffic, attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from '../triage/explainService';
import { healthFromStore } from '../triage/triageService';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, NEWEST_VERSION, migrate } from './migrate';
import { finishSegmentPaymentsBackfill, segmentPaymentsBackfillPending } from './segmentRollupPayments';
import { openStore, type ReadStore } from './store';

const dir = tempDir('payops-m360-');
const MIN = 60_000;
const T0 = ADMISSION_T0;

/**
 * Minutes [from, to): merchant m-retry's payments on issuer bank-a, some declined and approved on
 * a retry (three tries each in the last five minutes: per attempt its approval falls, per payment
 * it does not), and merchant m-calm on bank-b, never retried, whose approval falls in the last
 * five minutes (a real drop).
 */
function traffic(from: number, to: number): IncomingMessage[] {
  const out: IncomingMessage[] = [];
  for (let m = from; m < to; m++) {
    const at = (k: number) => T0 + m * MIN + k * 1000;
    const late = m >= 60;
    for (let k = 0; k < 8; k++) out.push(attempt(at(k), true, { merchantId: 'm-retry', issuer: 'bank-a', attempt: 1 }));
    for (let p = 0; p < (late ? 4 : 1); p++) {
      const paymentId = `retried-${m}-${p}`;
      const tries = late ? 3 : 2;
      for (let a = 1; a <= tries; a++) out.push(attempt(at(10 + p * 4 + a), a === tries, { merchantId: 'm-retry', issuer: 'bank-a', paymentId, attempt: a }));
    }
    for (let k = 0; k < 10; k++) out.push(attempt(at(30 + k), late ? k < 5 : k !== 0, { merchantId: 'm-calm', issuer: 'bank-b' }));
  }
  return out;
}

function written(name: string, versionBelow: number, messages: IncomingMessage[]): string {
  const file = path.join(dir, name);
  const db = new Database(file);
  migrate(db, MIGRATIONS.filter((m) => m.version < versionBelow));
  new EventWriter(db).commit(messages);
  db.close();
  return file;
}

function initiated(timeMs: number): IncomingMessage {
  const m = attempt(timeMs, true, { merchantId: 'm-later' });
  const body = JSON.parse(m.raw.body.toString()) as Record<string, unknown>;
  const raw = { ...m.raw, body: Buffer.from(JSON.stringify({ ...body, type: 'payment.initiated' })) };
  return { raw, result: decodeMessage(raw) };
}

const pending = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return segmentPaymentsBackfillPending(db);
  } finally {
    db.close();
  }
};
/** The pass over the events to its end, as ingest would carry it. */
const finishPass = (file: string) => {
  const db = new Database(file);
  finishSegmentPaymentsBackfill(db);
  db.close();
};

const board = (store: ReadStore) => healthFromStore(store, healthRequestSchema.parse({ at: T0 + 65 * MIN, windowMinutes: 5, baselineMinutes: 60 }));
const explanation = (store: ReadStore) => explainFromStore(store, explainRequestSchema.parse({ from: T0 + 60 * MIN, to: T0 + 65 * MIN }));
const cells = (file: string) =>
  new Database(file, { readonly: true })
    .prepare('SELECT minute, dim, value, attempts, payments FROM segment_minute ORDER BY minute, dim, value')
    .all() as { minute: number; dim: string; value: string; attempts: number; payments: number | null }[];
const tenMinuteCells = (file: string) =>
  new Database(file, { readonly: true }).prepare('SELECT bucket, dim, value, payments FROM segment_ten_minute ORDER BY bucket, dim, value').all();

describe('migration 360: payments of segment cells stored before 350', () => {
  it('a database written before 350 migrates to the board and explanation of the same traffic ingested fresh', () => {
    const old = written('old.db', 350, traffic(0, 65));
    const fresh = written('fresh.db', Infinity, traffic(0, 65));
    const migrated = openStore(old);
    const reference = openStore(fresh, { readonly: true });
    try {
      // Opened: the total and attempt cells are known from the rollups; the merchants' minutes
      // hold retries and wait for the pass over the events.
      const unknown = () => cells(old).filter((c) => c.payments === null);
      expect(unknown().length).toBeGreaterThan(0);
      expect(unknown().some((c) => c.dim === '(all)' || c.dim === 'attempt')).toBe(false);
      expect(board(migrated).basis).toBe('per attempt');
      // Ingest carries it: each batch takes one step (about 2,000 events; these minutes hold
      // 1,330), a payment.initiated far after the compared minutes adds no segment cell.
      const started = (k: number) => initiated(T0 + (200 + k) * MIN);
      migrated.ingest.commit([started(0)]);
      expect(unknown()).toEqual([]);
      migrated.ingest.commit([started(1)]);
      expect(pending(old)).toBe(false);
      expect(cells(old)).toEqual(cells(fresh));
      expect(tenMinuteCells(old)).toEqual(tenMinuteCells(fresh));
      const b = board(migrated);
      expect(b).toEqual(board(reference));
      expect(b.basis).toBe('per payment');
      // Per payment m-retry is ok (its retries are one payment each), m-calm's fall is seen.
      expect(b.segments.find((s) => s.value === 'm-retry')).toMatchObject({ state: 'ok', basis: 'per payment' });
      expect(b.segments.find((s) => s.value === 'm-calm')?.state).not.toBe('ok');
      expect(explanation(migrated)).toEqual(explanation(reference));
    } finally {
      migrated.close();
      reference.close();
    }
  });

  it('sums the ten-minute cells of minutes before 1970 into their own buckets', () => {
    // Minutes -15 .. -1 before the epoch, each a payment declined then approved on its retry (the
    // pass over the events fills them), then one attempt an hour later so the buckets are summed.
    const at = Date.UTC(1969, 11, 31, 23, 45);
    const messages = Array.from({ length: 15 }, (_, m) => [
      attempt(at + m * MIN + 1000, false, { merchantId: 'm-old', paymentId: `p${m}`, attempt: 1 }),
      attempt(at + m * MIN + 2000, true, { merchantId: 'm-old', paymentId: `p${m}`, attempt: 2 }),
    ]).flat();
    messages.push(attempt(at + 75 * MIN, true, { merchantId: 'm-old' }));
    const old = written('pre-epoch.db', 350, messages);
    const fresh = written('pre-epoch-fresh.db', Infinity, messages);
    openStore(old).close();
    finishPass(old);
    const want = tenMinuteCells(fresh) as { bucket: number; payments: number | null }[];
    expect(want.filter((c) => c.bucket < 0 && c.payments !== null).length).toBeGreaterThan(0);
    expect(tenMinuteCells(old)).toEqual(want);
  });

  it('leaves unknown the minutes whose events are gone and the cells of a value named within the minute; a second run changes nothing', () => {
    // A retry each minute beside the admission traffic (without an acquirer): its minutes need the events.
    const retries = Array.from({ length: 23 }, (_, k) => attempt(T0 + (37 + k) * MIN + 30_500, true, { attempt: 2 }));
    const messages = [...admissionTraffic(), ...retries, ...traffic(70, 75)];
    const old = written('partial.db', 350, messages);
    const fresh = written('partial-fresh.db', Infinity, messages);
    // Retention took the events of minute 72 (all) and one event of minute 73: the cells stay.
    const db = new Database(old);
    db.prepare('DELETE FROM event_log WHERE time_ms >= ? AND time_ms < ?').run(T0 + 72 * MIN, T0 + 73 * MIN);
    db.prepare('DELETE FROM event_log WHERE seq = (SELECT MIN(seq) FROM event_log WHERE time_ms >= ? AND time_ms < ?)').run(T0 + 73 * MIN, T0 + 74 * MIN);
    db.close();
    openStore(old).close();
    finishPass(old);

    const want = cells(fresh);
    const got = cells(old);
    expect(got.map(({ payments: _p, ...c }) => c)).toEqual(want.map(({ payments: _p, ...c }) => c));
    const unknown = got.filter((c) => c.payments === null).map((c) => `${c.minute - T0 / MIN} ${c.dim} ${c.value}`);
    // Every known cell is the fresh database's count.
    got.forEach((c, i) => {
      if (c.payments !== null) expect(c.payments).toBe(want[i].payments);
    });
    // The total and attempt cells follow from the rollups, whatever the events.
    const ofMinute = (m: number) => got.filter((c) => c.minute - T0 / MIN === m && c.dim !== '(all)' && c.dim !== 'attempt').map((c) => `${m} ${c.dim} ${c.value}`);
    expect(ofMinute(72).length).toBeGreaterThan(3);
    // acq-late is named from the minute after its 90th attempt (in minute 54): in that minute its
    // attempts went partly to (other), which neither can be told apart by the events.
    expect(unknown).toEqual(['54 acquirer (other)', '54 acquirer acq-late', ...ofMinute(72), ...ofMinute(73)]);

    // Run again (a rewound user_version): the same cells, none changed.
    const again = new Database(old);
    again.pragma('user_version = 350');
    migrate(again);
    expect(again.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
    again.close();
    finishPass(old);
    expect(cells(old)).toEqual(got);
  });
});
