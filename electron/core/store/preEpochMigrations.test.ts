// Migrations that carry stored figures over into new rollups put a time before 1970 in the
// step that holds it, as the writer does (Math.floor): SQLite's integer division rounds toward
// zero, so second -270 (1969-12-31 23:55:30) went to minute -4 instead of -5, minute -5 to
// bucket 0 instead of -1, and an event at -1.5 s to second -1 instead of -2.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { MIGRATIONS, migrate } from './migrate';
import { compactSegmentBuckets } from './segmentRollupRepository';
import { QueueSampleRepository } from './queueSampleRepository';
import { incoming, writerBefore240 } from '../../../test/support/storedTextKit';
import { paymentEvent } from '../../../bench/events';

const dir = tempDir('payops-pre-epoch-');
const upTo = (db: Database.Database, version: number) => migrate(db, MIGRATIONS.filter((m) => m.version <= version));
const rows = (db: Database.Database, sql: string, ...args: unknown[]) => db.prepare(sql).all(...args);

describe('migrations carrying over figures from before 1970', () => {
  it('place each time in the second, minute and bucket that hold it (115, 170, 180, 190, 200, 300)', () => {
    const db = new Database(path.join(dir, 'old.db'));
    try {
      expect(upTo(db, 110)).toBe(10);
      // Carried over by 115 (a risk decision at -1.5 s) and by 120 into event_log (payments for 190 and 300).
      const event = db.prepare("INSERT INTO events (source, id, type, category, time_ms, arrival_ms, payment_id, decision, score, json) VALUES ('s', ?, ?, ?, ?, ?, ?, ?, ?, '{}')");
      event.run('r1', 'risk.scored', 'risk', -1500, -1500, 'p0', 'block', 90);
      event.run('a1', 'payment.authorized', 'payment', -270_000, -270_000, 'p1', null, null);
      event.run('d1', 'payment.declined', 'payment', -30_500, -30_500, 'p2', null, null);
      event.run('f1', 'payment.failed', 'payment', -30_000, -30_000, 'p3', null, null);
      expect(upTo(db, 115)).toBe(115);
      expect(rows(db, "SELECT sec FROM rollup_second WHERE dim = 'decision'")).toEqual([{ sec: -2 }]);

      expect(upTo(db, 160)).toBe(160);
      const second = db.prepare("INSERT INTO rollup_second (sec, dim, key, count, amount) VALUES (?, 'type', 'payment.authorized', 1, 0)");
      for (const sec of [-270, -30, 30]) second.run(sec);
      const segment = db.prepare("INSERT INTO segment_minute (minute, dim, value, attempts, approvals, declines, failures, amount, approved_amount) VALUES (?, 'total', '', 1, 1, 0, 0, 0, 0)");
      for (const minute of [-5, 25]) segment.run(minute);
      expect(upTo(db, 170)).toBe(170);
      expect(rows(db, "SELECT minute, count FROM rollup_minute WHERE dim = 'type' ORDER BY minute")).toEqual([
        { minute: -5, count: 1 },
        { minute: -1, count: 1 },
        { minute: 0, count: 1 },
      ]);
      expect(upTo(db, 180)).toBe(180);
      expect(rows(db, "SELECT bucket, count FROM rollup_ten_minute WHERE dim = 'type' ORDER BY bucket")).toEqual([
        { bucket: -1, count: 2 },
        { bucket: 0, count: 1 },
      ]);
      expect(upTo(db, 190)).toBe(190);
      // Payments start at minute -5 (p1, approved) and -1 (p2): ten-minute bucket -1.
      expect(rows(db, "SELECT minute, key, count FROM rollup_minute WHERE dim = 'payment' ORDER BY minute, key")).toEqual([
        { minute: -5, key: 'approved', count: 1 },
        { minute: -5, key: 'started', count: 1 },
        { minute: -1, key: 'started', count: 1 },
      ]);
      expect(rows(db, "SELECT bucket, key, count FROM rollup_ten_minute WHERE dim = 'payment' ORDER BY bucket, key")).toEqual([
        { bucket: -1, key: 'approved', count: 1 },
        { bucket: -1, key: 'started', count: 2 },
      ]);
      expect(upTo(db, 200)).toBe(200);
      expect(rows(db, "SELECT bucket, attempts FROM segment_ten_minute WHERE dim = 'total' ORDER BY bucket")).toEqual([{ bucket: -1, attempts: 1 }]);
      expect(upTo(db, 300)).toBe(300);
      // 300 counts p3's failed attempt as a payment started at minute -1.
      expect(rows(db, "SELECT minute, key, count FROM rollup_minute WHERE dim = 'payment' ORDER BY minute, key")).toEqual([
        { minute: -5, key: 'approved', count: 1 },
        { minute: -5, key: 'started', count: 1 },
        { minute: -1, key: 'started', count: 2 },
      ]);
      expect(rows(db, "SELECT bucket, key, count FROM rollup_ten_minute WHERE dim = 'payment' ORDER BY bucket, key")).toEqual([
        { bucket: -1, key: 'approved', count: 1 },
        { bucket: -1, key: 'started', count: 3 },
      ]);
    } finally {
      db.close();
    }
  });

  it('210 and 250: the `events` view gives back the ISO time of an event before 1970 (the stored text left it out)', () => {
    const db = new Database(path.join(dir, 'view.db'));
    try {
      expect(upTo(db, 210)).toBe(210);
      // ISO times as toISOString writes them: the writer leaves such a time out of the text (flag 4).
      const times = ['1969-12-31T23:59:58.500Z', '1969-12-31T23:59:59.000Z', '1969-12-31T23:59:59.999Z', '1900-02-28T12:00:00.001Z', '1970-01-01T00:00:00.250Z', '2026-11-02T01:00:00.007Z'];
      writerBefore240(db).commit(times.map((time, i) => incoming(paymentEvent('payment.authorized', { id: `pre-epoch-${i}`, time }), 1000 + i)));
      // The writer keeps a time before 1970 in the text now; before 04970b1 it left it out too, as
      // these rows are (carried over in databases written then).
      db.exec(`UPDATE event_log SET json = json_set(json_remove(json, '$.time'), '$."~"', (json ->> '$."~"') | 4) WHERE time_ms < 0`);
      const restored = () => (db.prepare("SELECT json ->> '$.time' AS time FROM events ORDER BY time_ms").all() as { time: string }[]).map((r) => r.time);
      const sorted = [...times].sort((a, b) => Date.parse(a) - Date.parse(b));
      expect(rows(db, `SELECT COUNT(*) AS n FROM event_log WHERE (json ->> '$."~"') & 4`)).toEqual([{ n: times.length }]);
      expect(restored()).toEqual(sorted);
      // Carried over: 250 builds the view again (with the source restored too).
      migrate(db);
      expect(restored()).toEqual(sorted);
    } finally {
      db.close();
    }
  });

  it('the writer\'s compaction of segment minutes and the queue depth steps do the same', () => {
    const db = new Database(path.join(dir, 'new.db'));
    try {
      migrate(db);
      db.exec("INSERT INTO segment_key (id, dim, value) VALUES (1, 'total', '')");
      const minute = db.prepare('INSERT INTO segment_minute_coded (minute, key_id, attempts, approvals, declines, failures, amount, approved_amount) VALUES (?, 1, 1, 1, 0, 0, 0, 0)');
      for (const m of [-15, -5, 3]) minute.run(m);
      compactSegmentBuckets(db, -2, 0);
      expect(rows(db, 'SELECT bucket, attempts FROM segment_ten_minute_coded ORDER BY bucket')).toEqual([
        { bucket: -2, attempts: 1 },
        { bucket: -1, attempts: 1 },
        { bucket: 0, attempts: 1 },
      ]);
      const queues = new QueueSampleRepository(db);
      queues.record([-61_500, -1500, 500].map((at) => ({ at, queue: 'q', messages: 10 - at / 1000, consumers: 1, oldestMessageAgeSeconds: null })));
      // Steps of a minute: -61.5 s in the minute from -120 s, -1.5 s and 0.5 s in those from -60 s and 0.
      expect(queues.deepestBySteps(60, -120, 60)).toEqual([
        { t: -120, queue: 'q', m: 71.5 },
        { t: -60, queue: 'q', m: 11.5 },
        { t: 0, queue: 'q', m: 9.5 },
      ]);
    } finally {
      db.close();
    }
  });
});
