// Migration 210: event_log.json holds the CloudEvent without what its columns hold. A database
// written before it (whole texts) migrates without rewriting a row; old and new rows then
// read back as the events that were sent: through the repository, the explorer's pages, the
// report samples and the `events` view.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { parsePaysimCsv, paysimToEvents } from '../sim/paysimMapping';
import { paymentEvent, riskEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { wholeEventText } from '../../../test/support/wholeEventText';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import { storeOn } from './store';

const dir = tempDir('payops-m210-');
const PAYSIM_CSV = path.join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'paysim-10k.csv');

function incoming(ce: object, arrivalMs: number): IncomingMessage {
  const raw = { body: Buffer.from(JSON.stringify(ce)), arrivalMs, routingKey: null };
  return { raw, result: decodeMessage(raw) };
}

/** As the writer stored it before migration 210: the whole text in event_log.json. */
function asBefore(m: IncomingMessage): IncomingMessage {
  if (!m.result.ok) return m;
  const e = m.result.event;
  return { ...m, result: { ok: true, event: { ...e, json: wholeEventText(e, e.timeMs ?? m.raw.arrivalMs) } } };
}

/** PaySim's events, and the simulator's with every payment dimension, a decline code and a BIN. */
function sentEvents(): Record<string, unknown>[] {
  const paysim = paysimToEvents(parsePaysimCsv(fs.readFileSync(PAYSIM_CSV, 'utf8'))).slice(0, 400) as unknown as Record<string, unknown>[];
  const dims = { issuer: 'tamarind-card', scheme: 'visa', acquirer: 'acq-1', mcc: '5411', threeDS: 'frictionless', attempt: 2 };
  const sim = Array.from({ length: 100 }, (_, i) => [
    paymentEvent('payment.declined', { time: new Date(Date.UTC(2026, 10, 2, 1, 0, i)).toISOString() }, { ...dims, cardBin: '529412', declineCode: '91', amount: 1234, currency: 'KWD' }),
    // A time spelled with an offset, and a subject that is not the payment id: both kept in the text.
    paymentEvent('payment.authorized', { time: '2026-11-02T03:00:00+02:00', subject: `order-${i}` }, { amount: 500, currency: 'JPY' }),
    riskEvent('risk.blocked', { time: new Date(Date.UTC(2026, 10, 2, 1, 1, i)).toISOString() }),
    { specversion: '1.0', id: `other-${i}`, source: 'x/y', type: 'com.example.other', datacontenttype: 'text/plain', data: 'hello' },
    // Before 1970: kept in the text (the view's SQL spells non-negative times only).
    paymentEvent('payment.captured', { time: new Date(-86_400_000 * (i + 1) - 123).toISOString() }, { amount: 7, currency: 'BHD' }),
  ]).flat() as Record<string, unknown>[];
  return [...paysim, ...sim];
}

describe('migration 210: the stored text without the columns it duplicates', () => {
  it('reads rows written before and after it as the events that were sent', () => {
    const db = new Database(path.join(dir, 'm210.db'));
    try {
      const sent = sentEvents();
      const before = sent.filter((_, i) => i % 2 === 0);
      const after = sent.filter((_, i) => i % 2 === 1);
      expect(migrate(db, MIGRATIONS.filter((m) => m.version < 210))).toBe(200);
      new EventWriter(db).commit(before.map((ce, i) => asBefore(incoming(ce, 1000 + i))));
      expect(migrate(db)).toBe(210);
      new EventWriter(db).commit(after.map((ce, i) => incoming(ce, 5000 + i)));

      const byId = new Map(sent.map((ce) => [ce.id as string, ce]));
      const store = storeOn(db);
      const rows = db.prepare(`SELECT seq, json ->> '$.id' AS id, length(json) AS bytes, json ->> '$."~"' IS NOT NULL AS compact FROM event_log ORDER BY seq`).all() as {
        seq: number; id: string; bytes: number; compact: number;
      }[];
      expect(rows).toHaveLength(sent.length);
      expect(rows.filter((r) => r.compact === 1)).toHaveLength(after.length);

      for (const r of rows) {
        const want = byId.get(r.id)!;
        const detail = store.events.get(r.seq)!;
        expect(JSON.parse(detail.json)).toEqual(want);
        expect(detail.subject).toBe((want.subject as string | undefined) ?? null);
        expect(detail.method).toBe((want.data as { method?: string } | undefined)?.method ?? null);
      }

      // The `events` view restores in SQL what the repository restores in JavaScript.
      const view = db.prepare('SELECT id, subject, json FROM events').all() as { id: string; subject: string | null; json: string }[];
      for (const v of view) {
        const want = byId.get(v.id)!;
        expect(JSON.parse(v.json)).toEqual(want);
        expect(v.subject).toBe((want.subject as string | undefined) ?? null);
      }

      // The explorer's pages and the report samples read the new rows whole too.
      let listed = 0;
      for (let page = store.eventPages.page({ order: 'desc', limit: 200 }); ; page = store.eventPages.page({ order: 'desc', limit: 200, cursor: page.nextCursor })) {
        for (const row of page.rows) {
          const want = byId.get(row.id)!;
          expect(row.subject).toBe((want.subject as string | undefined) ?? null);
          expect(row.source).toBe(want.source);
          listed += 1;
        }
        if (!page.nextCursor) break;
      }
      expect(listed).toBe(sent.length);
      const samples = store.reports.newest(0, Date.UTC(2100, 0, 1), 50);
      for (const s of samples) expect(JSON.parse(s.json)).toEqual(byId.get(JSON.parse(s.json).id)!);

      // The PaySim rows: the same events, stored before and after, in about a third of the text.
      const paysimBytes = (compact: number) => {
        const xs = rows.filter((r) => r.compact === compact && r.id.length > 30).map((r) => r.bytes);
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      expect(paysimBytes(1) / paysimBytes(0)).toBeLessThan(0.45);
    } finally {
      db.close();
    }
  });
});
