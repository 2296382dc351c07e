// Explain and the health board never disagree on a segment: for the same window and the same
// baseline (explain's default, the four windows before it, is the board asked with
// baselineMinutes = 4 x windowMinutes), explain reports with the board's state and reason exactly
// the segments the board marks degraded or down. Random windows over a stored incident (real
// SQLite through the simulator): before it, across its start, within it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRequestSchema, type TriageMetric } from '../../../shared/triage';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from './explainService';
import { healthFromStore } from './triageService';

const MINUTE = 60_000;
const dir = tempDir('payops-explain-board-agree-');
let outage: StoredScenario;
let acquirer: StoredScenario;

beforeAll(async () => {
  outage = await storeScenario(dir, 'issuer-outage', { rate: 20, baselineMinutes: 30, anomalyMinutes: 6 });
  acquirer = await storeScenario(dir, 'acquirer-degradation', { rate: 20, baselineMinutes: 30, anomalyMinutes: 6 });
}, 60_000);
afterAll(() => {
  outage?.store.close();
  acquirer?.store.close();
});

/** The board's segments not ok, and explain's segments reported with a board verdict, as comparable lines. */
function both(s: StoredScenario, toMs: number, len: number, metric: TriageMetric) {
  const board = healthFromStore(s.store, { at: toMs, windowMinutes: len, baselineMinutes: 4 * len });
  const e = explainFromStore(s.store, explainRequestSchema.parse({ from: toMs - len * MINUTE, to: toMs, metric }));
  return {
    board: board.segments.filter((x) => x.state !== 'ok').map((x) => ({ line: `${x.dimension}=${x.value} ${x.state}: ${x.reason}`, cause: x.reason.startsWith('failures') ? 'failure' : / expected from /.test(x.reason) ? 'traffic' : 'approval' })),
    explain: e.contributors.filter((c) => c.health).map((c) => `${c.dimension}=${c.value} ${c.health!.state}: ${c.health!.reason}`),
    significant: e.contributors.filter((c) => c.significant),
    healthy: e.contributors.filter((c) => c.health && !c.significant),
  };
}

const windows = () =>
  fc.record({
    scenario: fc.constantFrom('outage', 'acquirer'),
    // Ends from 10 minutes before the incident to its end: windows of calm, across its start, within it.
    end: fc.integer({ min: -10, max: 0 }),
    len: fc.integer({ min: 1, max: 6 }),
  });

describe('explain and the health board on the same window and baseline', () => {
  it('by approval: explain reports exactly the segments the board marks degraded or down, with the board\'s state and reason', () => {
    let flagged = 0;
    fc.assert(
      fc.property(windows(), ({ scenario, end, len }) => {
        const s = scenario === 'outage' ? outage : acquirer;
        const { board, explain, healthy } = both(s, s.toMs + end * MINUTE, len, 'approval-rate');
        flagged += board.length;
        expect(explain.sort()).toEqual(board.map((b) => b.line).sort());
        expect(healthy).toEqual([]);
      }),
      { numRuns: 40, seed: 13 },
    );
    // The incidents were seen: not a comparison of two empty lists.
    expect(flagged).toBeGreaterThan(0);
  });

  it('by the decline and failure rates: the board\'s segments judged on that rate\'s cause, no other', () => {
    fc.assert(
      fc.property(windows(), fc.constantFrom<TriageMetric>('decline-rate', 'failure-rate'), ({ scenario, end, len }, metric) => {
        const s = scenario === 'outage' ? outage : acquirer;
        const { board, explain } = both(s, s.toMs + end * MINUTE, len, metric);
        const cause = metric === 'failure-rate' ? 'failure' : 'approval';
        // Every explain verdict is one of the board's; every board verdict by traffic, or on this
        // metric's cause, is explain's unless the metric's own rate moved the better way.
        expect(board.map((b) => b.line)).toEqual(expect.arrayContaining(explain));
        for (const b of board) if (b.cause === 'traffic') expect(explain).toContain(b.line);
        for (const line of explain) expect(['traffic', cause]).toContain(board.find((b) => b.line === line)!.cause);
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});
