// Migration 240: the segment tables hold a key id from the segment_key catalogue in place of the
// TEXT dim and value, behind views with the old names. Proves: a database in the old form answers
// the same segment and triage queries read-only before it migrates and after; every stored row
// comes through with the same (dim, value) and counts (none lost, none mislabelled); ingest then
// goes on in the coded form; and a database already coded but rewound to an older user_version
// migrates without touching its tables.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { explainRequestSchema, healthRequestSchema } from '../../../shared/triage';
import { forgetSegmentPayments, toSegmentTablesBeforeCoding } from '../../../test/support/segmentTablesBeforeCoding';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { migrateAfterReadOnlyAnswers } from '../../../test/support/migrationKit';
import { explainFromStore } from '../triage/explainService';
import { healthFromStore } from '../triage/triageService';
import type { IncomingMessage } from './eventWriter';
import { openStore, type ReadStore } from './store';

const dir = tempDir('payops-m240-');
const MINUTE = 60_000;
const SEGMENT_TABLES = ['segment_minute', 'segment_ten_minute', 'segment_decline_minute', 'segment_decline_ten_minute'];

const sorted = <T extends { dim: string; value: string; code?: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.dim}\u0000${a.value}\u0000${a.code ?? ''}`.localeCompare(`${b.dim}\u0000${b.value}\u0000${b.code ?? ''}`));

/**
 * Every row of the four tables (or views) by their old names, in one order: the columns of the old
 * form (payments, migration 350, are not among them; the test makes them unknown before it rewrites).
 */
function storedRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  const oldColumns = ({ payments: _payments, ...row }: Record<string, unknown>) => row;
  try {
    return Object.fromEntries(SEGMENT_TABLES.map((t) => [t, (db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`).all() as Record<string, unknown>[]).map(oldColumns)]));
  } finally {
    db.close();
  }
}

function kindOf(file: string, name: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT type FROM sqlite_master WHERE name = ?').pluck().get(name) as string;
  } finally {
    db.close();
  }
}

/** The segment reads, explain and the health board over windows inside and across ten-minute buckets. */
function answersOf(s: StoredScenario) {
  const first = Math.floor((s.toMs - 50 * MINUTE) / MINUTE);
  const windows = [
    [first, first + 50],
    [first + 3, first + 47],
    [first + 44, first + 50],
  ];
  return (store: ReadStore) => ({
    segments: windows.map(([a, b]) => ({ segments: sorted(store.segments.segmentsBetween(a, b)), codes: sorted(store.segments.declineCodesBetween(a, b)) })),
    merchantCodes: sorted(store.segments.declineCodesBetween(first, first + 50, 'merchantId')),
    range: store.segments.minuteRange(),
    explain: explainFromStore(store, explainRequestSchema.parse({ from: s.fromMs, to: s.toMs })),
    health: healthFromStore(store, healthRequestSchema.parse({ at: s.toMs })),
  });
}

function rewind(file: string, toOldForm: boolean): void {
  const raw = new Database(file);
  if (toOldForm) toSegmentTablesBeforeCoding(raw);
  // 230: the version before this one (migration 230 is the rollup tables', on another branch).
  raw.pragma('user_version = 230');
  raw.close();
}

const payment = (id: string, timeMs: number, merchantId: string, type = 'payment.declined'): IncomingMessage => {
  const time = new Date(timeMs).toISOString();
  const body = { specversion: '1.0', id, source: 's', type, time, data: { paymentId: id, merchantId, amount: 100, currency: 'EUR', declineCode: '05' } };
  const raw = { body: Buffer.from(JSON.stringify(body)), headers: null, contentType: null, routingKey: null, arrivalMs: timeMs };
  return { raw, result: decodeMessage(raw) };
};

describe('migration 240: segment rollups keyed by a catalogue of (dim, value)', () => {
  it('an old-form database answers the same read-only, migrates every row under its own label, and ingest goes on', async () => {
    // 50 minutes: ten-minute buckets are summed, and windows cross their edges.
    const s = await storeScenario(dir, 'issuer-outage', { rate: 10, baselineMinutes: 44, anomalyMinutes: 6 });
    const answers = answersOf(s);
    // The old form predates payments (migration 350): it must answer as a database that has none.
    forgetSegmentPayments(s.file);
    const want = answers(s.store);
    expect(want.segments[0].segments.length).toBeGreaterThan(20);
    expect(want.segments[0].codes.length).toBeGreaterThan(5);
    s.store.close();
    const rows = storedRows(s.file);
    for (const t of SEGMENT_TABLES) expect(rows[t].length, t).toBeGreaterThan(0);

    rewind(s.file, true);
    expect(kindOf(s.file, 'segment_minute')).toBe('table');
    expect(kindOf(s.file, 'segment_key')).toBeUndefined();
    // The rewrite itself keeps every row: what the migration is compared against below.
    expect(storedRows(s.file)).toEqual(rows);

    // Opened read-only (never migrated), the unchanged readers read the real tables.
    const { store: again, migrated: check } = migrateAfterReadOnlyAnswers(s.file, answers, want);
    expect(kindOf(s.file, 'segment_minute')).toBe('view');
    // One key per distinct (dim, value): a key per row would keep the bytes this saves.
    const keys = check.prepare('SELECT COUNT(*) FROM segment_key').pluck().get() as number;
    const pairs = check.prepare(`SELECT COUNT(*) FROM (${SEGMENT_TABLES.map((t) => `SELECT dim, value FROM ${t}`).join(' UNION ')})`).pluck().get() as number;
    expect(keys).toBe(pairs);
    check.close();
    // Migration 360 recounts the payments from the stored events (migration360.test.ts): the
    // rewrite is compared as the old form answered, without them.
    forgetSegmentPayments(s.file);
    // Same rows, same labels, same counts: a lost or mislabelled row fails here.
    expect(storedRows(s.file)).toEqual(rows);
    expect(answers(again)).toEqual(want);

    // Ingest goes on: a stored merchant gains an attempt under its key, a new one gets a key.
    const minute = Math.floor(s.toMs / MINUTE) + 1;
    const known = want.segments[0].segments.find((r) => r.dim === 'merchantId' && r.attempts > 0)!.value;
    again.ingest.commit([payment('after-1', minute * MINUTE, known), payment('after-2', minute * MINUTE + 1, 'm-after-migration')]);
    const merchants = again.segments.segmentsBetween(minute, minute + 1).filter((r) => r.dim === 'merchantId');
    expect(merchants.map((r) => [r.value, r.attempts, r.declines]).sort()).toEqual([[known, 1, 1], ['m-after-migration', 1, 1]].sort());
    expect(again.segments.declineCodesBetween(minute, minute + 1, 'merchantId').filter((r) => r.dim === 'merchantId').map((r) => [r.value, r.code, r.count]).sort()).toEqual(
      [[known, '05', 1], ['m-after-migration', '05', 1]].sort(),
    );
    again.close();
  }, 60_000);

  it('a database already in the coded form, rewound to an older user_version, migrates without change', async () => {
    const s = await storeScenario(dir, 'issuer-outage', { rate: 10, baselineMinutes: 24, anomalyMinutes: 6 });
    s.store.close();
    const rows = storedRows(s.file);
    rewind(s.file, false);
    const again = openStore(s.file);
    expect(kindOf(s.file, 'segment_minute')).toBe('view');
    expect(storedRows(s.file)).toEqual(rows);
    again.close();
  }, 60_000);
});
