// The headline is the sentence an operator reads aloud. Seen on traffic nobody shaped for it:
// "merchant (other) approval 57.5 % vs 93.0 %" (which merchants?), "acquirer (none) ..." (an
// acquirer named none?), "merchant m-ct approval 10.9 % vs -" (a card-testing merchant new in
// the window) and "approval - vs 91.0 %: no payment attempts in the window". Real SQLite file
// through the real writer; the figures the sentence quotes checked against SQL over the events.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { explainRequestSchema } from '../../../shared/triage';
import { MAX_VALUES_PER_DIMENSION } from '../../../shared/segments';
import { ADMISSION_T0, attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { explainFromStore } from './explainService';

const dir = tempDir('payops-explain-words-');
const MIN = 60_000;
const T0 = ADMISSION_T0;
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

function stored(name: string, batch: IncomingMessage[]): { store: Store; file: string } {
  const file = path.join(dir, name);
  const store = openStore(file);
  store.ingest.commit(batch);
  stores.push(store);
  return { store, file };
}

/** Approval (per attempt) of the attempts SQL finds in [from, to) whose `where` holds, as the headline prints it. */
function sqlApproval(file: string, fromMs: number, toMs: number, where = '1'): string {
  const db = new Database(file, { readonly: true });
  try {
    const r = db
      .prepare(`SELECT COUNT(*) AS n, SUM(type = 'payment.authorized') AS x FROM events WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') AND time_ms >= ? AND time_ms < ? AND ${where}`)
      .get(fromMs, toMs) as { n: number; x: number };
    return `${((Math.round((r.x / r.n) * 1000) / 10).toFixed(1))} %`;
  } finally {
    db.close();
  }
}

const explain = (store: Store) => explainFromStore(store, explainRequestSchema.parse({ from: T0 + 40 * MIN, to: T0 + 50 * MIN }));

describe('explain headline in words', () => {
  it('the folded tail of merchants is "other merchants (past the 200 named)", not "merchant (other)"', () => {
    // 300 merchants of equal volume; the first 200 seen keep their names. In the window the
    // other 100 approve 20 %, the named ones 95 % throughout.
    const batch: IncomingMessage[] = [];
    for (let m = 0; m < 50; m++) {
      for (let k = 0; k < 150; k++) {
        const merchant = (m * 150 + k) % 300;
        const approved = m >= 40 && merchant >= MAX_VALUES_PER_DIMENSION ? k % 5 === 0 : k % 20 !== 0;
        batch.push(attempt(T0 + m * MIN + k * 400, approved, { merchantId: `m-${String(merchant).padStart(3, '0')}` }));
      }
    }
    const { store, file } = stored('tail.db', batch);
    const e = explain(store);
    expect(e.contributors.find((c) => c.significant)).toMatchObject({ dimension: 'merchantId', value: '(other)' });
    const tail = `merchant_id >= 'm-${MAX_VALUES_PER_DIMENSION}'`;
    const rates = `approval ${sqlApproval(file, T0 + 40 * MIN, T0 + 50 * MIN, tail)} vs ${sqlApproval(file, T0, T0 + 40 * MIN, tail)}`;
    expect(e.headline).toContain(`: other merchants (past the ${MAX_VALUES_PER_DIMENSION} named) ${rates}, `);
  });

  it('traffic without an acquirer is "attempts without an acquirer", not "acquirer (none)"', () => {
    // Ten merchants, each with attempts through acq-a and attempts carrying no acquirer; in the
    // window the latter approve 10 %, on every merchant alike.
    const batch: IncomingMessage[] = [];
    for (let m = 0; m < 50; m++) {
      for (let k = 0; k < 200; k++) {
        const without = k % 10 < 3;
        const approved = without && m >= 40 ? k % 100 < 10 : k % 20 !== 0;
        batch.push(attempt(T0 + m * MIN + k * 300, approved, { merchantId: `m-${k % 10}`, ...(without ? {} : { acquirer: 'acq-a' }) }));
      }
    }
    const { store, file } = stored('none.db', batch);
    const e = explain(store);
    expect(e.contributors.find((c) => c.significant)).toMatchObject({ dimension: 'acquirer', value: '(none)' });
    const none = "json_extract(json, '$.data.acquirer') IS NULL";
    expect(e.headline).toContain(`: attempts without an acquirer approval ${sqlApproval(file, T0 + 40 * MIN, T0 + 50 * MIN, none)} vs ${sqlApproval(file, T0, T0 + 40 * MIN, none)}, `);
  });

  it('a merchant new in the window: its approval "(no attempts in the baseline)", not "vs -"', () => {
    const batch: IncomingMessage[] = [];
    for (let m = 0; m < 50; m++) {
      for (let k = 0; k < 60; k++) batch.push(attempt(T0 + m * MIN + k * 1000, k % 20 !== 0, { merchantId: `m-${k % 4}` }));
      if (m >= 40) for (let k = 0; k < 60; k++) batch.push(attempt(T0 + m * MIN + k * 1000 + 500, k % 10 === 0, { merchantId: 'm-ct' }));
    }
    const { store, file } = stored('new.db', batch);
    const e = explain(store);
    expect(e.headline).toContain(`: merchant m-ct approval ${sqlApproval(file, T0 + 40 * MIN, T0 + 50 * MIN, "merchant_id = 'm-ct'")} (no attempts in the baseline), `);
    expect(e.headline).not.toMatch(/ - |-$/);
  });

  it('a window without attempts: the baseline\'s approval alone, not "approval - vs 95.0 %"', () => {
    const batch: IncomingMessage[] = [];
    for (let m = 0; m < 40; m++) for (let k = 0; k < 20; k++) batch.push(attempt(T0 + m * MIN + k * 3000, k !== 0, {}));
    const { store, file } = stored('empty-window.db', batch);
    expect(explain(store).headline).toBe(`approval ${sqlApproval(file, T0, T0 + 40 * MIN)} in the baseline (per attempt): no payment attempts in the window to explain`);
    const later = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 100 * MIN, to: T0 + 110 * MIN }));
    expect(later.headline).toBe('approval (per attempt): no payment attempts in the window to explain');
    const first = explainFromStore(store, explainRequestSchema.parse({ from: T0, to: T0 + 10 * MIN }));
    expect(first.headline).toBe(`approval ${sqlApproval(file, T0, T0 + 10 * MIN)} (per attempt): no payment attempts in the baseline to compare with`);
  });
});
