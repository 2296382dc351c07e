// Contributor order under dilution: an issuer outage during a card-testing flood at a few
// merchants. The flood's cards (of every issuer, through every acquirer) lowered every scheme's,
// acquirer's and country's approval with the whole, and ranked by the size of their change,
// "scheme visa approval 42 % vs 93 %", "other merchants", the acquirers came before the issuer
// that failed (it was not in the first eight). Explain now ranks first the segments whose own
// rate moved beyond the rest once the flood is set aside (floodConditioning.ts). Traffic at
// PaySim's cardinality (test/support/dilutionTraffic.ts), real SQLite file through the real
// writer, its counts checked against SQL over the stored events.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRequestSchema, type Explanation } from '../../../shared/triage';
import { DILUTION_WINDOW, dilutionTraffic, FAILING_BIN, FAILING_ISSUER, FLOOD_MERCHANTS, type DilutionOptions } from '../../../test/support/dilutionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { openStore, type Store } from '../store/store';
import { explainFromStore } from './explainService';

const dir = tempDir('payops-explain-dilution-');
const stores = new Map<string, { store: Store; file: string }>();
afterAll(() => stores.forEach((s) => s.store.close()));

function stored(options: DilutionOptions): { store: Store; file: string } {
  const name = `flood-${options.flood}-outage-${options.outage}-seed-${options.seed ?? 7}`;
  const had = stores.get(name);
  if (had) return had;
  const file = path.join(dir, `${name}.db`);
  const store = openStore(file);
  const batch = dilutionTraffic(options);
  for (let i = 0; i < batch.length; i += 2000) store.ingest.commit(batch.slice(i, i + 2000));
  stores.set(name, { store, file });
  return { store, file };
}

const explain = (store: Store, metric: 'approval-rate' | 'decline-rate') =>
  explainFromStore(store, explainRequestSchema.parse({ from: DILUTION_WINDOW.from, to: DILUTION_WINDOW.to, metric }));

const named = (e: Explanation) => e.contributors.map((c) => `${c.dimension}=${c.value}`);

function sqlWindowAttempts(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM events WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') AND time_ms >= ? AND time_ms < ?").get(DILUTION_WINDOW.from, DILUTION_WINDOW.to) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('explain: an issuer outage during a card-testing flood', () => {
  beforeAll(() => {
    for (const seed of [7, 8, 9]) stored({ flood: 900, outage: true, seed });
  });

  it.each([7, 8, 9])('names the failing issuer (and its BIN) first, before the schemes and acquirers the flood passed through (seed %i)', (seed) => {
    const { store, file } = stored({ flood: 900, outage: true, seed });
    for (const metric of ['approval-rate', 'decline-rate'] as const) {
      const e = explain(store, metric);
      // The flood is in the window: more than half of its attempts.
      expect(e.window.attempts).toBe(sqlWindowAttempts(file));
      expect(e.window.attempts).toBe(600 + 900);
      expect(e.significant).toBe(true);
      expect(named(e).slice(0, 2)).toEqual([`issuer=${FAILING_ISSUER}`, `cardBin=${FAILING_BIN}`]);
      expect(e.contributors[0]).toMatchObject({ effect: 'rate', significant: true, topCodes: ['91'] });
      expect(e.headline).toMatch(new RegExp(`: issuer ${FAILING_ISSUER} \\(BIN ${FAILING_BIN}\\) ${metric === 'approval-rate' ? 'approval' : 'decline'} `));
      // The flood is still reported, as what it is: merchants new in the window, by their share.
      for (const m of FLOOD_MERCHANTS) expect(e.contributors.find((c) => c.value === m)).toMatchObject({ dimension: 'merchantId', effect: 'mix', significant: true });
    }
  });

  it('without the flood the issuer is first as before; with the flood and no outage, no issuer, BIN, scheme or acquirer comes before the flood', () => {
    const alone = explain(stored({ flood: 0, outage: true }).store, 'approval-rate');
    expect(named(alone).slice(0, 2)).toEqual([`issuer=${FAILING_ISSUER}`, `cardBin=${FAILING_BIN}`]);
    const flood = explain(stored({ flood: 900, outage: false }).store, 'approval-rate');
    const firstFlood = flood.contributors.findIndex((c) => FLOOD_MERCHANTS.includes(c.value));
    expect(firstFlood).toBeGreaterThanOrEqual(0);
    const before = flood.contributors.slice(0, firstFlood).filter((c) => ['issuer', 'cardBin', 'scheme', 'acquirer'].includes(c.dimension));
    expect(before).toEqual([]);
  });
});
