// The oldest waiting message's age is stored with each queue sample (migration 340), so the
// metric queue_oldest_message_age_seconds has data where the stored samples are read: a
// backtest, and a live session right after a restart. Rows stored before the migration read
// as unknown (null), never as 0 ("nothing waits"). Real SQLite files.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../../bench/events';
import { decodeMessage } from '../../../shared/events/decode';
import type { QueueDepth } from '../../../shared/metrics';
import { rule } from '../../../test/support/alertTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { MIGRATIONS, migrate } from '../store/migrate';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { AlertingSession } from './alertingSession';
import { backtestStoredRange } from './backtestSources';

const dir = tempDir('payops-stored-oldest-age-');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);
const opened: Store[] = [];
afterAll(() => opened.forEach((s) => s.close()));

const oldest = rule({ name: 'oldest-waiting', metric: 'queue_oldest_message_age_seconds', condition: { above: 300 }, window: '1m', for: '0s', minVolume: 0 });
const sample = (at: number, oldestMessageAgeSeconds: number | null): QueueDepth => ({ queue: 'orders', messages: 40, consumers: 0, at, error: null, oldestMessageAgeSeconds });

function payments(from: number, seconds: number): IncomingMessage[] {
  const out: IncomingMessage[] = [];
  for (let s = 0; s < seconds; s++) {
    const e = { ...paymentEvent('payment.authorized', {}, { country: 'DE' }), time: new Date(from + s * 1000).toISOString() };
    const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: 'application/cloudevents+json', routingKey: e.type, arrivalMs: from + s * 1000 };
    out.push({ raw, result: decodeMessage(raw) });
  }
  return out;
}

describe('the oldest message age of stored queue samples', () => {
  it('is stored and read back; a database from before migration 340 opens, migrates, and reads its old rows as unknown', () => {
    const file = path.join(dir, 'before-340.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 340));
    old.prepare('INSERT INTO queue_depth (at_ms, queue, messages, consumers) VALUES (?, ?, ?, ?)').run(T0, 'orders', 40, 0);
    old.close();

    // Read as it is, without write access to migrate it: the old row, its age unknown.
    const readOnly = openStore(file, { readonly: true });
    try {
      expect(readOnly.queueSamples.inRange(T0, T0 + 1, 10)).toEqual([{ at: T0, queue: 'orders', messages: 40, consumers: 0, oldestMessageAgeSeconds: null }]);
    } finally {
      readOnly.close();
    }

    const store = openStore(file);
    opened.push(store);
    expect(store.queueSamples.inRange(T0, T0 + 1, 10)).toEqual([{ at: T0, queue: 'orders', messages: 40, consumers: 0, oldestMessageAgeSeconds: null }]);
    store.queueSamples.record([sample(T0 + 5000, 420.5), sample(T0 + 10_000, null)]);
    expect(store.queueSamples.inRange(T0, T0 + 60_000, 10).map((s) => s.oldestMessageAgeSeconds)).toEqual([null, 420.5, null]);
    // Depth reads answer as before.
    expect(store.queueSamples.deepestBySteps(60, T0 / 1000, T0 / 1000 + 60)).toEqual([{ t: T0 / 1000, queue: 'orders', m: 40 }]);
  });

  it('a backtest of the stored range judges the rule on the stored age', async () => {
    const store = openStore(path.join(dir, 'backtest.db'));
    opened.push(store);
    store.ingest.commit(payments(T0, 120));
    for (let s = 0; s < 120; s += 5) store.queueSamples.record([sample(T0 + s * 1000, 200 + s * 5)]);
    const r = await backtestStoredRange(store, [oldest], { from: T0, to: T0 + 120_000, yieldBetweenPages: false });
    const fired = r.alerts.filter((a) => a.firedAt !== null);
    expect(fired.map((a) => a.labels.queue)).toEqual(['orders']);
    // 200 + 5 s past 300 from the sample at 25 s.
    expect(fired[0].firedAt).toBeGreaterThanOrEqual(T0 + 25_000);
    expect(fired[0].firedAt).toBeLessThan(T0 + 35_000);
  });

  it('a live session started on the database judges the rule at its first tick, from the samples stored before the restart', () => {
    const now = Date.now();
    const file = path.join(dir, `restart-${now}.db`);
    const before = openStore(file);
    for (let s = 30; s >= 5; s -= 5) before.queueSamples.record([sample(now - s * 1000, 900 - s)]);
    expect(before.queueSamples.inRange(now - 60_000, now, 10)).toHaveLength(6);
    before.close();

    const store = openStore(file);
    opened.push(store);
    const session = new AlertingSession({ store, rules: [oldest], replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined });
    // The clock starts at `now`; its first tick (every 10 s, 3 s of lateness allowed) judges.
    session.evaluator.advanceTo(now);
    session.evaluator.advanceTo(now + 13_000);
    const firing = session.evaluator.list().filter((a) => a.state === 'firing');
    expect(firing.map((a) => [a.labels.queue, a.value])).toEqual([['orders', 895]]);
  });
});
