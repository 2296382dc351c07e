// A lasting level shift is one incident, not many: one issuer (15 % of the attempts) goes from
// the stream's usual ~8 % declines to ~72 % and stays there for hours, so the stream's decline
// rate moves from ~8 % to ~18 %. The default pack's decline-rate-spike (a baseline condition)
// fired on the shift, resolved once its slowly drifting mean put the noisy value just inside the
// band, and fired again on the next noisy window: about ten firings in three hours. A firing
// baseline alert now clears only once the value is back well inside the band (hysteresis, as
// recoverBelow gives threshold rules), so the shift fires once and stays firing.
import { describe, expect, it } from 'vitest';
import { backtest } from './backtest';
import { DEFAULT_RULES } from './defaultRules';
import type { AlertInputEvent } from './eventCounters';
import { sec } from '../../../test/support/alertTestKit';
import { paymentDimensionsOf } from '../../../shared/events/eventTypes';
import { mulberry32 } from '../sim/prng';

const SHIFT_SEC = 20 * 60;

/** Five payment attempts a second from 0 to `toSec`; 15 % are issuer bank-a's, declined 72 % from SHIFT_SEC to `shiftEndSec` (8 % otherwise, as the others). */
function shiftedTraffic(toSec: number, seed: number, shiftEndSec = toSec): AlertInputEvent[] {
  const next = mulberry32(seed);
  const out: AlertInputEvent[] = [];
  for (let s = 0; s < toSec; s++) {
    for (let i = 0; i < 5; i++) {
      const issuer = next() < 0.15 ? 'bank-a' : 'bank-b';
      const declineShare = issuer === 'bank-a' && s >= SHIFT_SEC && s < shiftEndSec ? 0.72 : 0.08;
      const type = next() < declineShare ? 'payment.declined' : 'payment.authorized';
      out.push({ type, timeMs: sec(s) + i * 200, merchantId: 'm_1', country: 'DE', dimensions: paymentDimensionsOf({ issuer }) });
    }
  }
  return out;
}

const spikeRule = DEFAULT_RULES.find((r) => r.name === 'decline-rate-spike')!;

describe('decline-rate-spike on a lasting level shift', () => {
  // Within the detection goal (3 minutes): at 5 attempts a second a one-minute window is a small
  // sample, and the band asks for 5 of its standard errors (ruleCondition.ts: samplingBand), so a
  // shift of ~10 points is confirmed a little later than the 2 minutes it took before (seed 3: 150 s).
  it.each([1, 2, 3])('one issuer at ~72 %% declines for three hours fires once, within three minutes of the shift (seed %i)', (seed) => {
    const r = backtest([spikeRule], shiftedTraffic(SHIFT_SEC + 3 * 3600, seed), { allowedLatenessMs: 0 });
    const fired = r.alerts.filter((a) => a.firedAt !== null);
    expect(fired.map((a) => `fired ${(a.firedAt! - sec(SHIFT_SEC)) / 1000} s after the shift`)).toHaveLength(1);
    expect(fired[0].firedAt! - sec(SHIFT_SEC)).toBeGreaterThan(0);
    expect(fired[0].firedAt! - sec(SHIFT_SEC)).toBeLessThanOrEqual(180_000);
  });

  it('resolves once when the issuer recovers after its three hours, within the window and keepFiringFor', () => {
    const shiftEnd = SHIFT_SEC + 3 * 3600;
    const r = backtest([spikeRule], shiftedTraffic(shiftEnd + 600, 1, shiftEnd), { allowedLatenessMs: 0 });
    const fired = r.alerts.filter((a) => a.firedAt !== null);
    expect(fired).toHaveLength(1);
    expect(fired[0].resolvedAt! - sec(shiftEnd)).toBeGreaterThan(0);
    expect(fired[0].resolvedAt! - sec(shiftEnd)).toBeLessThanOrEqual(120_000);
  });
});
