// A burn-rate alert's value is the burn factor: its notification says so as SLO tools do
// ("8.33x burn"), through the shared formatter the rule alerts' units go through, not a bare "8".
import { describe, expect, it } from 'vitest';
import { validateRouting, type BurnRateRule } from '../../../shared/notificationConfig';
import { BURN_RATE_METRIC, formatNamedMetricValue } from '../../../shared/alertValueFormat';
import { formatAlertNotification } from '../../desktop/notifications';
import type { AlertInputEvent } from './eventCounters';
import { BurnRateEvaluator } from './burnRateEvaluator';
import { burnRateAlertRecords } from './burnRateHistory';
import { T0 } from '../../../test/support/alertTestKit';

const MIN = 60_000;

function slo(): BurnRateRule {
  const v = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '99.9%' }] });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config.burnRates[0];
}

/** 10 attempts a second for `minutes`, one in 125 declined (the first of each 125): 15 of the first 1,800 read 0.83 %, an 8.33x burn of a 99.9 % objective. */
function slowBurn(minutes: number): AlertInputEvent[] {
  const out: AlertInputEvent[] = [];
  for (let i = 0; i < minutes * 600; i++) out.push({ type: i % 125 === 0 ? 'payment.declined' : 'payment.authorized', timeMs: T0 + i * 100, merchantId: 'm_1', country: 'DE' });
  return out;
}

describe("a burn-rate notification's value", () => {
  it('the shared formatter reads a burn factor as "14.4x burn"', () => {
    expect(formatNamedMetricValue(BURN_RATE_METRIC, 14.4)).toBe('14.4x burn');
    expect(formatNamedMetricValue(BURN_RATE_METRIC, 200)).toBe('200x burn');
  });

  it('a real burn-rate ticket says "value 8.33x burn" (it said "value 8.333"), and its history record names the burn for followers', () => {
    const e = new BurnRateEvaluator([slo()]);
    e.observeEvents(slowBurn(3));
    const [ticket] = e.advanceTo(T0 + 3 * MIN + 5000);
    expect(ticket).toMatchObject({ kind: 'firing', severity: 'warning', metric: BURN_RATE_METRIC });
    expect(formatAlertNotification(ticket).body).toContain('value 8.33x burn');
    const [record] = burnRateAlertRecords([ticket], new Set(['approval-slo']));
    expect(record.metric).toBe(BURN_RATE_METRIC);
  });
});
