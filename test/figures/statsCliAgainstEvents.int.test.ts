// `payops stats` (the built CLI, as an operator runs it) on a database filled through the real
// write path, against figures computed from the events: minor units exact per currency in
// --json, each currency's own decimals in the text. Needs `npm run build:core`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/store/database';
import { lastJson, runPayops } from '../support/cli';
import { tempDir } from '../support/tempDir';
import { majorText, mixedTraffic, storeByArrival, TrafficFacts } from '../support/mixedCurrencyTraffic';

const dir = tempDir('payops-stats-cli-');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('payops stats on mixed currencies, late and out-of-order events', () => {
  const traffic = mixedTraffic(600, T0, 3_600_000, 23, 0.3);
  const file = path.join(dir, 'stats.db');
  const db = openDatabase(file);
  storeByArrival(db, traffic, 41);
  // Every event sent again (a redelivery after a lost ack): stored once, counted as duplicates.
  storeByArrival(db, traffic.slice(0, 50), 41);
  db.close();
  const want = new TrafficFacts(traffic).of();

  it('--json: counts by type, minor units per currency, the time range', async () => {
    const r = await runPayops(['stats', '--db', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const stats = lastJson(r.stdout);
    expect(stats).toMatchObject({
      events: want.events,
      byType: want.byType,
      duplicates: 50,
      quarantined: 0,
      authorizedAmountByCurrency: Object.fromEntries(Object.entries(want.authorizedMinor).map(([c, v]) => [c, Number(v)])),
      firstEventTime: new Date(want.firstMs!).toISOString(),
      lastEventTime: new Date(want.lastMs!).toISOString(),
    });
  });

  it('text: each currency in its own decimals, one entry per currency', async () => {
    const r = await runPayops(['stats', '--db', file]);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('authorized'));
    const parts = Object.keys(want.authorizedMinor).sort().map((c) => `${majorText(want.authorizedMinor[c], c)} ${c}`);
    expect(line).toBe(`authorized    ${parts.join(', ')}`);
  });
});
