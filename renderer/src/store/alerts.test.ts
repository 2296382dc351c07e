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
