// Migration 120: a database written by the schema before it (events in one table with five
// B-trees) opens, migrates to the event log, and answers every query as a database written
// by today's writer from the same messages does; exactly-once by (source, id) holds across
// the migration, and an identity-hash collision keeps both events.
import Sqlite from 'better-sqlite3';
import type Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { openCaptureReader } from '../capture';
import { buildReport } from '../report/reportData';
import { DEMO_CAPTURE } from '../../../test/support/explorerTestKit';
import { decoded, legacyEventWriter, migrateToLegacySchema } from '../../../test/support/legacyEventStore';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { eventIdentity } from './eventIdentity';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { storeOn, type Store } from './store';
import { NEWEST_VERSION } from './migrate';

const dir = tempDir('payops-m120-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);

/** The demo capture's first messages, then edge cases: repeats, no time, odd routing keys, bad input. */
async function messages(): Promise<RawMessage[][]> {
  const demo: RawMessage[] = [];
  for await (const rec of openCaptureReader(DEMO_CAPTURE)) {
    if ('raw' in rec) demo.push(rec.raw);
    if (demo.length >= 4000) break;
  }
  const json = (e: unknown, arrivalMs: number, routingKey: string | null): RawMessage => ({ body: Buffer.from(JSON.stringify(e)), arrivalMs, routingKey });
  const extra: RawMessage[] = [
    json({ specversion: '1.0', id: 'u-1', source: 'ops/audit', type: 'audit.note', subject: 'ops' }, T0, 'audit'),
    json({ specversion: '1.0', id: 'p-1', source: 'psp/x', type: 'payment.authorized', time: new Date(T0).toISOString(), data: { paymentId: 'pay_m1', merchantId: 'm_9', amount: 990, currency: 'JPY', method: 'wallet', latencyMs: 12 } }, T0 + 5, null),
    json({ specversion: '1.0', id: 'r-1', source: 'risk/e', type: 'risk.scored', time: new Date(T0 + 1).toISOString(), data: { paymentId: 'pay_m1', merchantId: 'm_9', score: 12.5, decision: 'approve' } }, T0 + 6, 'risk.custom'),
    { body: Buffer.from('not json'), arrivalMs: T0 + 7, routingKey: 'x' },
  ];
  return [demo.slice(0, 2000), demo.slice(2000), extra, demo.slice(100, 300)];
}

function commitAll(writer: EventWriter, batches: RawMessage[][]): void {
  for (const b of batches) writer.commit(decoded(b));
}

// The CloudEvent parsed: since migration 210 the view restores left-out fields at the end of their objects.
const allRows = (db: Database.Database) =>
  (db.prepare('SELECT * FROM events ORDER BY seq').all() as { json: string }[]).map((r) => ({ ...r, json: JSON.parse(r.json) as unknown }));

function answers(store: Store) {
  const range = store.events.timeRange()!;
  const pages = [{}, { types: ['payment.declined'] }, { merchantId: 'm_9' }, { country: 'DE' }, { search: 'pay_m1' }, { search: 'r-1' }].map((filter) =>
    store.eventPages.page({ filter, limit: 50, scanBudgetMs: 60_000 }),
  );
  const report = buildReport(store, { from: range.first, to: range.last + 1, mask: false, sampleSize: 5 });
  return {
    stats: store.stats(),
    pages: pages.map((p) => ({ rows: p.rows, nextCursor: p.nextCursor, partial: p.partial })),
    // The explanation reads the segment rollups, which migration 130 starts empty: events stored
    // before it are not in them (README, "The bound on cardinality"), so it differs by design.
    report: { ...report, generatedAt: null, tookMs: null, explanation: null },
    timeline: store.events.ofPayment('pay_m1', 10),
    detail: store.events.get(pages[0].rows[0].seq),
  };
}

describe('migration 120: the event log', () => {
  it('carries a database of the schema before it over: same rows, same answers, exactly-once across it', async () => {
    const batches = await messages();
    // openDatabase would migrate to the newest: the legacy file is written on a bare connection.
    const old = new Sqlite(path.join(dir, 'old.db'));
    migrateToLegacySchema(old);
    commitAll(legacyEventWriter(old), batches);
    const before = allRows(old);
    expect(before.length).toBe(4003);
    old.close();

    const migrated = openDatabase(path.join(dir, 'old.db'));
    const fresh = openDatabase(path.join(dir, 'fresh.db'));
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
      commitAll(new EventWriter(fresh), batches);
      // The events view gives back every column of every row as the table held it.
      expect(allRows(migrated)).toEqual(before);
      expect(allRows(fresh)).toEqual(before);
      expect(answers(storeOn(migrated))).toEqual(answers(storeOn(fresh)));

      // Exactly-once across the migration: everything again is all duplicates.
      const again = new EventWriter(migrated).commit(decoded(batches[0]));
      expect(again.inserted.length).toBe(0);
      expect(again.duplicates).toBe(2000);
    } finally {
      migrated.close();
      fresh.close();
    }
  });

  it('keeps an event whose identity hash another event already holds, once', () => {
    const db = openDatabase(path.join(dir, 'collision.db'));
    try {
      const ev = (id: string) => ({ specversion: '1.0', id, source: 'psp/c', type: 'payment.captured', time: new Date(T0).toISOString(), data: { paymentId: `pay_${id}`, merchantId: 'm', amount: 1, currency: 'EUR' } });
      const msg = (id: string): IncomingMessage => {
        const raw = { body: Buffer.from(JSON.stringify(ev(id))), arrivalMs: T0, routingKey: 'payment.captured' };
        return { raw, result: decodeMessage(raw) };
      };
      expect(storeOn(db).ingest.commit([msg('a')]).inserted.length).toBe(1);
      // A real 53-bit collision cannot be found in a test; event a is made to hold b's hash,
      // before the writer below starts (an identity never changes under a writer).
      db.prepare('UPDATE event_log SET ident = ?').run(eventIdentity('psp/c', 'b'));
      const store = storeOn(db);
      expect(store.ingest.commit([msg('b')]).inserted.length).toBe(1);
      expect(store.ingest.commit([msg('b'), msg('b')])).toMatchObject({ inserted: [], duplicates: 2 });
      expect(db.prepare("SELECT source, id FROM event_identity_overflow").all()).toEqual([{ source: 'psp/c', id: 'b' }]);
      expect(store.eventPages.page({ filter: { search: 'b' } }).rows.map((r) => r.id)).toEqual(['b']);
    } finally {
      db.close();
    }
  });
});
