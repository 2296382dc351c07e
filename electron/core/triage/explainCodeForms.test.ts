// One decline code sent in two forms ("5" by one issuer, "05" by the others: the code table
// reads both as 05), stored in real SQLite: explain counts them as the one code they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from './explainService';

const dir = tempDir('payops-explain-code-forms-');
let s: StoredScenario;
let n = 0;

beforeAll(async () => {
  s = await storeScenario(dir, 'card-testing', {
    rate: 20,
    baselineMinutes: 16,
    anomalyMinutes: 4,
    // Every event is kept; every other "05" arrives as "5".
    keep: (e) => {
      const data = e.data as { declineCode?: string };
      if (data.declineCode === '05' && n++ % 2 === 0) data.declineCode = '5';
      return true;
    },
  });
}, 120_000);
afterAll(() => s?.store.close());

describe('explain over a decline code sent as "5" and as "05"', () => {
  it('lists it once, as 05, with the declines of both forms', () => {
    const e = explainFromStore(s.store, { from: s.fromMs, to: s.toMs, metric: 'approval-rate' });
    const dn = e.declineCodes.filter((c) => c.code === '05' || c.code === '5');
    expect(dn.map((c) => c.code)).toEqual(['05']);
    expect(dn[0].window.count).toBeGreaterThan(0);
    for (const c of e.contributors) expect(c.topCodes).not.toContain('5');
  });
});
