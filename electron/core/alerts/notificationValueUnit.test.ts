// The console's own notification (Electron's; the browser's: renderer/src/lib/notifyValue.test.ts) says the
// alert's value in its rule's unit, as the alert list and history do: "20 %", not "0.2".
import { describe, expect, it } from 'vitest';
import { formatAlertNotification } from '../../desktop/notifications';
import { AlertEvaluator } from './alertEvaluator';
import { payments, rule, sec } from '../../../test/support/alertTestKit';

function firstFiring() {
  const e = new AlertEvaluator([rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0 })], null, { allowedLatenessMs: 0 });
  // 20 declines in 100 payments a second: a decline rate of 20 %.
  e.observeEvents(payments(0, 60, 100, () => 20));
  const n = e.advanceTo(sec(60)).find((x) => x.kind === 'firing');
  if (!n) throw new Error('the rule did not fire');
  return n;
}

describe("a notification's value in its rule's unit", () => {
  it('the evaluator names the rule metric on the notification', () => {
    expect(firstFiring()).toMatchObject({ metric: 'decline_rate', value: 0.2 });
  });

  it('the desktop notification says "value 20 %" (it said "value 0.2")', () => {
    expect(formatAlertNotification(firstFiring()).body).toContain('value 20 %');
  });

  it('a queue delay in seconds, and a bare number when the metric is unknown (a notification from an older engine)', () => {
    const n = { kind: 'firing' as const, rule: 'slow', severity: 'warning' as const, labels: {}, value: 12.5, summary: '', at: 0 };
    expect(formatAlertNotification({ ...n, metric: 'queue_delay_seconds' }).body).toContain('value 12.5 s');
    expect(formatAlertNotification({ ...n, metric: 'no_such_metric' }).body).toContain('value 12.5');
  });
});
