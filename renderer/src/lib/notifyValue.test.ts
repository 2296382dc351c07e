// The browser notification (the web console's) says an alert's value in its rule's unit, as the
// alert list does: "value 20 %" for a decline rate of 0.2 (it said "value 0.200").
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { notificationBody } from './notify';

const n: AlertNotification = { kind: 'firing', rule: 'declines', severity: 'critical', labels: {}, value: 0.2, summary: 'FIRING declines: decline rate 20 %', at: 0 };

describe('browser notification value', () => {
  it('in the metric unit: a rate in %, a delay in s', () => {
    expect(notificationBody({ ...n, metric: 'decline_rate' })).toContain('value 20 % per attempt');
    expect(notificationBody({ ...n, value: 12.5, metric: 'queue_delay_seconds' })).toContain('value 12.5 s');
  });

  it('a bare number when the metric is not given (an older engine)', () => {
    expect(notificationBody(n)).toContain('value 0.200');
  });
});
