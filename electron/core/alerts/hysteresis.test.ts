import { describe, expect, it } from 'vitest';
import { AlertEvaluator } from './alertEvaluator';
import { payments, rule, sec } from '../../../test/support/alertTestKit';

// Decline rate per 10-second tick (window 10s): 20 %, then 12 % (firing), then hovering at
// 9 % (below the 10 % threshold, above the 8 % recovery level), then 5 %.
const level = (s: number) => (s < 60 ? 2 : s < 100 ? 20 : s < 200 ? 9 : s < 300 ? 12 : s < 400 ? 9 : 5);
const declines = (extra = {}) =>
  rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0, ...extra });

function run(extra = {}) {
  const e = new AlertEvaluator([declines(extra)], null, { allowedLatenessMs: 0 });
  e.observeEvents(payments(0, 500, 100, level));
  const notes = e.advanceTo(sec(500));
  return notes.map((n) => `${n.kind}@${(n.at - sec(0)) / 1000}`);
}

describe('hysteresis (controlled event-time clock)', () => {
  it('without recoverBelow, a value hovering under the threshold resolves and re-fires (flaps)', () => {
    expect(run()).toEqual(['firing@70', 'resolved@110', 'firing@210', 'resolved@310']);
  });

  it('with recoverBelow 8%, the alert keeps firing through 9 % and resolves only once below 8 %', () => {
    expect(run({ recoverBelow: '8%' })).toEqual(['firing@70', 'resolved@410']);
  });

  it('recoverAbove works the other way for a below condition', () => {
    const e = new AlertEvaluator(
      [rule({ name: 'approval', metric: 'approval_rate', condition: { below: '90%' }, recoverAbove: '95%', window: '10s', for: 0, keepFiringFor: 0 })],
      null,
      { allowedLatenessMs: 0 },
    );
    // approval 98 %, 80 % (fires), 92 % (between: keeps firing), 97 % (recovers)
    const approvalPct = (s: number) => (s < 60 ? 2 : s < 100 ? 20 : s < 200 ? 8 : 3);
    e.observeEvents(payments(0, 300, 100, approvalPct));
    expect(e.advanceTo(sec(300)).map((n) => `${n.kind}@${(n.at - sec(0)) / 1000}`)).toEqual(['firing@70', 'resolved@210']);
  });

  it('refuses a recovery level on the wrong side of the threshold or with the wrong condition', () => {
    expect(() => declines({ recoverBelow: '12%' })).toThrow(/recoverBelow: must be below the firing threshold/);
    expect(() => declines({ recoverAbove: '5%' })).toThrow(/recoverAbove goes with a "below" condition/);
  });
});
