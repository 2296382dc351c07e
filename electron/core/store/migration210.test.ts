// Migration 210: event_log.json holds the CloudEvent without what its columns hold. A database
// written before it (whole texts) migrates without rewriting a row; old and new rows then
// read back as the events that were sent: through the repository, the explorer's pages, the
// report samples and the `events` view.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asBefore, incoming, sentEvents, writerBefore240 } from '../../../test/support/storedTextKit';
import { tempDir } from '../../../test/support/tempDir';
import { MIGRATIONS, migrate } from './migrate';
import { storeOn } from './store';

const dir = tempDir('payops-m210-');

describe('migration 210: the stored text without the columns it duplicates', () => {
  it('reads rows written before and after it as the events that were sent', () => {
    const db = new Database(path.join(dir, 'm210.db'));
    try {
      const sent = sentEvents();
      const before = sent.filter((_, i) => i % 2 === 0);
      const after = sent.filter((_, i) => i % 2 === 1);
      expect(migrate(db, MIGRATIONS.filter((m) => m.version < 210))).toBe(200);
      writerBefore240(db).commit(before.map((ce, i) => asBefore(incoming(ce, 1000 + i))));
      expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 210))).toBe(210);
      writerBefore240(db).commit(after.map((ce, i) => incoming(ce, 5000 + i)));

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
