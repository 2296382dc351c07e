import { describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertView } from '../../../shared/alerts';
import type { TPoint } from '../store/series';
import { kpiSpark, kpiState, sparkPaths } from './kpiTrend';
import { baselineBand, ruleLines } from './ruleLines';
import { shortcutFor, SHORTCUTS } from './shortcuts';

const rule = (over: Partial<AlertRule>): AlertRule =>
  ({ name: 'r', description: 'd', runbookUrl: null, enabled: true, severity: 'critical', metric: 'decline_rate', eventTypes: null, queues: null, condition: { kind: 'above', threshold: 0.2 }, windowMs: 60_000, forMs: 0, keepFiringForMs: 0, groupBy: null, minVolume: 0, noDataState: 'normal', labels: {}, ...over }) as AlertRule;
const alert = (rule: string, state: AlertView['state']) => ({ rule, state }) as AlertView;

describe('KPI tiles', () => {
  it('draw the approval rate per bucket of the live series, null where nothing was decided', () => {
    const points: TPoint[] = [
      { t: 0, span: 1, counts: { 'payment.authorized': 3, 'payment.declined': 1 } },
      { t: 1, span: 1, counts: { 'risk.scored': 5 } },
      { t: 2, span: 1, counts: { 'payment.declined': 2 } },
    ];
    expect(kpiSpark(points, 'approval', 3)).toEqual([0.75, null, 0]);
    expect(kpiSpark(points, 'events', 3)).toEqual([4, 5, 2]);
    expect(sparkPaths(kpiSpark(points, 'approval', 3), 1)).toEqual([]);
    expect(sparkPaths([0, 0.5, null, 1, 1], 1)).toEqual(['0.0,19.0 25.0,10.0', '75.0,1.0 100.0,1.0']);
  });

  it('draw approval and decline per attempt as their tiles and the alert rules count it: failures are attempts', () => {
    // An issuer timing out: the tile reads approval 60 % (6 of 10 attempts), so must its trend.
    const points: TPoint[] = [
      { t: 0, span: 1, counts: { 'payment.authorized': 9, 'payment.declined': 1 } },
      { t: 1, span: 1, counts: { 'payment.authorized': 6, 'payment.declined': 1, 'payment.failed': 3 } },
      { t: 2, span: 1, counts: { 'payment.failed': 2 } },
    ];
    expect(kpiSpark(points, 'approval', 3)).toEqual([0.9, 0.6, 0]);
    expect(kpiSpark(points, 'decline', 3)).toEqual([0.1, 0.1, 0]);
  });

  it('take their colour from the rules that watch them: critical firing, pending, normal, unwatched', () => {
    const rules = [rule({ name: 'decline-spike' }), rule({ name: 'decline-warn', severity: 'warning' })];
    expect(kpiState(['decline_rate'], rules, [alert('decline-spike', 'firing')]).tone).toBe('crit');
    expect(kpiState(['decline_rate'], rules, [alert('decline-warn', 'firing')]).tone).toBe('warn');
    expect(kpiState(['decline_rate'], rules, [alert('decline-spike', 'pending')]).tone).toBe('warn');
    expect(kpiState(['decline_rate'], rules, [alert('decline-spike', 'resolved')])).toEqual({ tone: 'ok', watchers: ['decline-spike: normal', 'decline-warn: normal'] });
    expect(kpiState(['approval_rate'], rules, []).tone).toBeNull();
  });
});

describe('rule lines on the rate chart', () => {
  it('draw fixed thresholds and skip grouped or disabled rules', () => {
    const lines = ruleLines(
      [rule({ name: 'a' }), rule({ name: 'b', groupBy: 'merchant' }), rule({ name: 'c', enabled: false }), rule({ name: 'd', metric: 'throughput' })],
      ['decline_rate'],
    );
    expect(lines.thresholds.map((t) => t.rule)).toEqual(['a']);
  });

  it('learn a baseline band that widens to at least minDelta and follows the level', () => {
    const b = { rule: 'x', metric: 'decline_rate' as const, deviations: 3, minDelta: 0.05, halfLifeMs: 60_000, direction: 'above' as const };
    const flat = Array.from({ length: 30 }, (_, i): [number, number] => [i * 60_000, 0.1]);
    const band = baselineBand(flat, b);
    expect(band).toHaveLength(29);
    expect(band[28].low).toBeCloseTo(0.1, 9);
    expect(band[28].high).toBeCloseTo(0.15, 9);
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, extra: Partial<{ code: string; shiftKey: boolean }> = {}) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...extra });
  it('map keys to actions, and every listed key does something', () => {
    expect(shortcutFor(key('?'))).toEqual({ kind: 'help' });
    expect(shortcutFor(key('p'))).toEqual({ kind: 'pause' });
    expect(shortcutFor(key('3', { code: 'Digit3' }))).toEqual({ kind: 'view', id: 'explorer' });
    expect(shortcutFor(key('#', { code: 'Digit3', shiftKey: true }))).toEqual({ kind: 'range', preset: '6h' });
    expect(shortcutFor({ ...key('p'), ctrlKey: true })).toBeNull();
    // Zoom and move the range, '=' being the unshifted '+'.
    expect(shortcutFor(key('-'))).toEqual({ kind: 'zoom', factor: 2 });
    expect(shortcutFor(key('+', { shiftKey: true }))).toEqual({ kind: 'zoom', factor: 0.5 });
    expect(shortcutFor(key('='))).toEqual({ kind: 'zoom', factor: 0.5 });
    expect(shortcutFor(key('['))).toEqual({ kind: 'pan', fraction: -0.5 });
    expect(shortcutFor(key(']'))).toEqual({ kind: 'pan', fraction: 0.5 });
    for (const s of SHORTCUTS) expect(s.action).toBeTruthy();
  });
});
