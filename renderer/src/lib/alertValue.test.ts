// Issue 11: an alert's value read "0.255" beside a KPI reading 14.0 %. A rate must read as a
// percentage wherever an alert is shown; the engine says which metric a value is in.
import { describe, expect, it } from 'vitest';
import { fmtAlertValue } from './format';

describe('fmtAlertValue', () => {
  it('shows a rate as a percentage, like the KPI beside it, not as a raw fraction', () => {
    expect(fmtAlertValue(0.255, 'decline_rate')).toBe('26 %');
    expect(fmtAlertValue(0.045, 'risk_blocked_rate')).toBe('4.5 %');
    expect(fmtAlertValue(0.255, 'decline_rate')).not.toMatch(/0\.255/);
  });

  it('shows other metrics in their unit, and a bare number when the metric is unknown', () => {
    expect(fmtAlertValue(12.5, 'throughput')).toBe('12.5/s');
    expect(fmtAlertValue(0, 'no_data')).toBe('0');
    expect(fmtAlertValue(3, undefined)).toBe('3');
    expect(fmtAlertValue(null, 'decline_rate')).toBe('—');
  });
});
