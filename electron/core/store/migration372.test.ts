// Migration 372: the late-arrival index (events over a minute behind their event time, by
// arrival), which a replay sought back reads a backlog's arrivals through (storedLiveWindows.ts).
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { incoming } from '../../../test/support/storedTextKit';
import { paymentEvent } from '../../../bench/events';
import { MIGRATIONS, NEWEST_VERSION, migrate } from './migrate';
import { migration372 } from './migrations/372_late_arrival_index';
import { storeOn } from './store';

const dir = tempDir('payops-migration372-');
const T = Date.UTC(2026, 10, 2, 1);

describe('migration 372: the late-arrival index', () => {
  it('indexes the events stored before it that arrived over a minute late, and only those; run again, changes nothing', () => {
    const db = new Database(path.join(dir, 'old.db'));
    expect(migrate(db, MIGRATIONS.filter((m) => m.version < 372))).toBe(Math.max(...MIGRATIONS.filter((m) => m.version < 372).map((m) => m.version)));
    const event = (i: number) => paymentEvent('payment.authorized', { id: `late-${i}`, time: new Date(T + i).toISOString() }, { amount: 1, currency: 'EUR' });
    // Behind by 0, 60 s exactly, 60 s and 1 ms, and 20 minutes.
    const lags = [0, 60_000, 60_001, 1_200_000];
    storeOn(db).ingest.commit(lags.map((lag, i) => incoming(event(i), T + i + lag)));
    expect(migrate(db, MIGRATIONS)).toBe(NEWEST_VERSION);
    const indexed = () => db.prepare('SELECT arrival_ms - time_ms FROM event_log INDEXED BY event_log_late_arrival WHERE arrival_ms - time_ms > 60000 ORDER BY arrival_ms').pluck().all();
    expect(indexed()).toEqual([60_001, 1_200_000]);
    const store = storeOn(db);
    expect(store.events.liveWindows.newestLateArrival(T + 2)).toBe(T + 2 + 60_001);
    expect(store.events.liveWindows.newestLateArrival(T + 3)).toBe(T + 3 + 1_200_000);
    migration372.up(db);
    expect(indexed()).toEqual([60_001, 1_200_000]);
    db.close();
  });
});
