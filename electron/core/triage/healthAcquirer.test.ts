// The health board on a planted acquirer degradation (the simulator's acquirer-degradation: half
// of acq-meridian's attempts time out), stored in real SQLite: the acquirer is the segment the
// board names first, not the merchants it serves, whose failure rates scatter around its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEGRADED_ACQUIRER } from '../sim/scenarios';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { healthFromStore } from './triageService';

const MINUTE = 60_000;
const dir = tempDir('payops-health-acquirer-');
let s: StoredScenario;

beforeAll(async () => {
  s = await storeScenario(dir, 'acquirer-degradation', { seed: 7, rate: 30, baselineMinutes: 20, anomalyMinutes: 10 });
}, 120_000);
afterAll(() => s?.store.close());

describe('health board on a degraded acquirer', () => {
  it('puts the acquirer first at every minute of the incident; its merchants at about the same failure rate are not "down" before it', () => {
    for (let minute = 5; minute <= 10; minute += 1) {
      const board = healthFromStore(s.store, { at: s.fromMs + minute * MINUTE, windowMinutes: 5, baselineMinutes: 20 });
      const first = board.segments[0];
      expect(`${first.dimension}=${first.value} ${first.state}: ${first.reason}`, `at minute ${minute}`).toMatch(new RegExp(`^acquirer=${DEGRADED_ACQUIRER} `));
    }
  });
});
