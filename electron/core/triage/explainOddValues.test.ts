// An explanation whose culprit's value would not be seen as written (blank, white space at its
// ends, a leading quote), stored in real SQLite: the headline quotes it, as alerts name a group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTAGE_ISSUER } from '../sim/scenarios';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from './explainService';

const dir = tempDir('payops-explain-odd-');
const BLANK_ISSUER = '   ';
let s: StoredScenario;

beforeAll(async () => {
  s = await storeScenario(dir, 'issuer-outage', {
    rate: 20,
    baselineMinutes: 16,
    anomalyMinutes: 4,
    // Every event is kept; the issuer that fails is renamed to a blank one on the way in.
    keep: (e) => {
      const data = e.data as { issuer?: string };
      if (data.issuer === OUTAGE_ISSUER) data.issuer = BLANK_ISSUER;
      return true;
    },
  });
}, 120_000);
afterAll(() => s?.store.close());

describe('explain naming a segment whose value is blank', () => {
  it('quotes it in the headline, so "issuer" is not read as naming nobody', () => {
    const e = explainFromStore(s.store, { from: s.fromMs, to: s.toMs, metric: 'approval-rate' });
    const top = e.contributors.find((c) => c.significant);
    expect(top).toMatchObject({ value: expect.stringMatching(/^(   |529412)$/) });
    expect(e.headline).toContain(`issuer ${JSON.stringify(BLANK_ISSUER)}`);
  });
});
