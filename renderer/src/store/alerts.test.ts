import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { alertSince, countByState, orderAlerts } from './alerts';

function alert(key: string, patch: Partial<AlertView>): AlertView {
  return {
    key,
    rule: key,
    severity: 'warning',
    labels: {},
    state: 'normal',
    value: null,
    peakValue: null,
    summary: '',
    runbookUrl: null,
    activeSince: null,
    firedAt: null,
    resolvedAt: null,
    silenced: false,
    acknowledged: null,
    transitions: [],
    ...patch,
  };
}

describe('alert ordering', () => {
  it('puts firing first, then pending, then resolved (newest first)', () => {
    const list = [
      alert('resolved-old', { state: 'resolved', resolvedAt: 100 }),
      alert('pending', { state: 'pending', activeSince: 500 }),
      alert('firing-warn', { state: 'firing', severity: 'warning', firedAt: 900 }),
      alert('resolved-new', { state: 'resolved', resolvedAt: 800 }),
      alert('firing-crit', { state: 'firing', severity: 'critical', firedAt: 300 }),
      alert('nodata', { state: 'nodata', transitions: [{ state: 'nodata', at: 50 }] }),
    ];
    expect(orderAlerts(list).map((a) => a.key)).toEqual(['firing-crit', 'firing-warn', 'pending', 'nodata', 'resolved-new', 'resolved-old']);
  });

  it('orders alerts of the same state and severity by most recent', () => {
    const list = [alert('a', { state: 'firing', firedAt: 1 }), alert('b', { state: 'firing', firedAt: 3 }), alert('c', { state: 'firing', firedAt: 2 })];
    expect(orderAlerts(list).map((a) => a.key)).toEqual(['b', 'c', 'a']);
  });

  it('does not mutate its input', () => {
    const list = [alert('r', { state: 'resolved' }), alert('f', { state: 'firing' })];
    orderAlerts(list);
    expect(list.map((a) => a.key)).toEqual(['r', 'f']);
  });

  it('reports when the alert entered its state', () => {
    expect(alertSince(alert('x', { state: 'firing', activeSince: 1, firedAt: 2 }))).toBe(2);
    expect(alertSince(alert('x', { state: 'pending', activeSince: 1 }))).toBe(1);
    expect(alertSince(alert('x', { state: 'resolved', resolvedAt: 9 }))).toBe(9);
    expect(alertSince(alert('x', { state: 'firing', transitions: [{ state: 'firing', at: 7 }] }))).toBe(7);
  });

  it('counts by state', () => {
    const c = countByState([alert('a', { state: 'firing' }), alert('b', { state: 'firing' }), alert('c', { state: 'pending' })]);
    expect(c.firing).toBe(2);
    expect(c.pending).toBe(1);
    expect(c.resolved).toBe(0);
  });
});

describe('alerts view helpers', () => {
  it('reads the tab from the hash', async () => {
    const { alertTabOf } = await import('./alerts');
    expect(alertTabOf('#/alerts')).toBe('current');
    expect(alertTabOf('#/alerts/rules')).toBe('rules');
    expect(alertTabOf('#/alerts/history?x=1')).toBe('history');
    expect(alertTabOf('#/alerts/nope')).toBe('current');
  });

  it('builds silence matchers for an alert that match it and not its neighbours', async () => {
    const { silenceMatchersFor } = await import('./alerts');
    const { silenceMatches } = await import('../views/silenceMatch');
    const a = { rule: 'fraud', labels: { merchant: 'm_1' }, severity: 'critical' as const };
    const m = silenceMatchersFor(a);
    expect(m).toEqual([
      { label: 'alertname', op: '=', value: 'fraud' },
      { label: 'merchant', op: '=', value: 'm_1' },
    ]);
    expect(silenceMatches(m, a)).toBe(true);
    expect(silenceMatches(m, { ...a, labels: { merchant: 'm_2' } })).toBe(false);
    expect(silenceMatches([{ label: 'merchant', op: '=~', value: 'm_.*' }], a)).toBe(true);
    expect(silenceMatches([{ label: 'severity', op: '!=', value: 'critical' }], a)).toBe(false);
  });

  it('turns a history filter into request arguments and a backtest window into a range', async () => {
    const { historyArgs, backtestRange, firingDuration, DEFAULT_HISTORY_FILTER } = await import('./alerts');
    expect(historyArgs(DEFAULT_HISTORY_FILTER, 10 * 3600_000)).toEqual({ firedOnly: true, since: 10 * 3600_000 - 24 * 3600_000, limit: 501 });
    expect(historyArgs({ rule: ' x ', severity: 'info', firedOnly: false, hours: 0 }, 0)).toEqual({ rule: 'x', severity: 'info', firedOnly: false, limit: 501 });
    expect(backtestRange(1, 7_200_000)).toEqual({ from: 3_600_001, to: 7_200_001 });
    expect(firingDuration({ firedAt: 1000, resolvedAt: null }, 5000)).toBe(4000);
    expect(firingDuration({ firedAt: null, resolvedAt: null }, 5000)).toBeNull();
  });
});
