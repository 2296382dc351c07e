import { describe, expect, it } from 'vitest';
import { alertHistoryRecordToJson } from '../../../shared/alerts';
import { fmtPeak, formatAlertTable } from './alertsCommand';

const alert = (rule: string, peakValue: number | null, summary: string) => ({
  rule, severity: 'critical' as const, group: '', state: 'resolved' as const, firedAt: '2026-11-23T10:00:40.000Z', resolvedAt: '2026-11-23T10:06:20.000Z',
  activeSince: '2026-11-23T10:00:30.000Z', peakValue, summary, silenced: false, acknowledged: null,
});

describe('alerts table', () => {
  it('prints rate peaks in percent, as the summaries write rates', () => {
    expect(fmtPeak(0.367, 'decline rate 5 %, baseline 5.5 % +/- 1.3 %')).toBe('37 %');
    expect(fmtPeak(0.05, 'risk flagged rate 5 %, threshold above 3 % over 5m')).toBe('5 %');
    expect(fmtPeak(0, 'approval rate 95 % for issuer beta-bank, threshold below 30 % over 2m')).toBe('0 %');
    // Not a rate: as before.
    expect(fmtPeak(12.345, 'throughput 12.3/s, threshold below 20/s over 1m')).toBe('12.35');
    expect(fmtPeak(7, 'risk flagged 7, threshold above 5 over 5m')).toBe('7');
    expect(fmtPeak(null, 'decline rate n/a')).toBe('-');
    // An episode that ended in no data keeps its peak rate: still in percent (PaySim's
    // fraud-share alerts printed 0.200 beside 30 % for the same rule).
    expect(fmtPeak(0.2, 'risk blocked rate: no data in the last 1h')).toBe('20 %');
    expect(fmtPeak(0.25, 'decline rate for merchant m_1: no data in the last 5m')).toBe('25 %');
    expect(fmtPeak(3, 'risk flagged for merchant m_1: no data in the last 5m')).toBe('3');
    const table = formatAlertTable([alert('decline-rate-spike', 0.367, 'decline rate 5 %, baseline 5.5 % +/- 1.3 %')]);
    expect(table.split('\n')[1]).toMatch(/decline-rate-spike\s+-\s+37 %\s+decline rate 5 %/);
  });

  it("prints a peak in the unit of the metric stored with it (a burn rate, a latency), as the console does", () => {
    const burn = { ...alert('checkout-slo', 14.4, 'checkout burns its budget'), metric: 'burn_rate' };
    const lag = { ...alert('late-arrivals', 12_500, 'arrivals behind'), metric: 'arrival_lag_p95' };
    const [, burnRow, lagRow] = formatAlertTable([burn, lag]).split('\n');
    expect(burnRow).toMatch(/checkout-slo\s+-\s+14\.4x burn\s+checkout burns/);
    expect(lagRow).toMatch(/late-arrivals\s+-\s+12\.5 s\s+arrivals behind/);
    expect(alertHistoryRecordToJson({ key: 'k', rule: 'r', severity: 'info', labels: {}, group: '', state: 'firing', summary: '', metric: 'burn_rate', value: 2, peakValue: 2, activeSince: 0, firedAt: 0, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null, transitions: [] }).metric).toBe('burn_rate');
  });

  it('with --all, an episode that never fired does not read as fired', () => {
    const pending = { ...alert('no-consumers', 0, 'consumers 1 for queue q, threshold below 1 over 1m'), state: 'normal' as const, firedAt: null, resolvedAt: null };
    const row = formatAlertTable([pending]).split('\n')[1];
    expect(row).toMatch(/^never \(active from 2026-11-23 10:00:30Z\)\s+normal\s+critical\s+no-consumers/);
  });
});
