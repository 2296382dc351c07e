// The evaluator reuses one Judgement for every group at every tick: a summary kept from one
// judgement must say what that judgement saw, whatever is judged into the same object after it.
import { describe, expect, it } from 'vitest';
import { rule } from '../../../test/support/alertTestKit';
import { EwmaBaseline } from './baseline';
import { Judgement, judge, type JudgeContext } from './ruleCondition';

const context = (groupText: string | null, baseline: EwmaBaseline | null = null): JudgeContext => ({
  groupText,
  trafficSeen: true,
  baseline,
  stepMs: 10_000,
  protectBaseline: false,
});

describe('a judgement reused', () => {
  it('keeps each summary as it was judged, through later judgements of other rules and kinds', () => {
    const declines = rule({ name: 'declines', metric: 'decline_rate', groupBy: 'merchant', condition: { above: '50%' }, window: '5m', minVolume: 10 });
    const silence = rule({ name: 'quiet', metric: 'no_data', window: '5m', minVolume: 5 });
    const j = new Judgement();

    judge(declines, { value: 0.8, volume: 40, error: null }, context('merchant m_1'), j);
    expect(j.outcome).toBe('met');
    const first = j.keepSummary();

    judge(declines, { value: 0.1, volume: 3, error: null }, context('merchant m_2'), j);
    expect([j.outcome, j.lowVolume]).toEqual(['clear', true]);
    const second = j.keepSummary();

    const usual = new EwmaBaseline(600_000);
    usual.update(20, 10_000);
    judge(silence, { value: 0, volume: 0, error: null }, context(null, usual), j);
    expect(j.outcome).toBe('met');
    judge(declines, { value: null, volume: 0, error: 'queue poll failed' }, context('merchant m_3'), j);
    expect(j.outcome).toBe('error');

    expect(first()).toBe('decline rate 80 % per attempt for merchant m_1, threshold above 50 % over 5m');
    expect(second()).toBe('decline rate 10 % per attempt for merchant m_2, threshold above 50 % over 5m (volume 3 below minimum 10)');
    expect(j.keepSummary()()).toBe('decline rate for merchant m_3: queue poll failed');
  });

  it('says what no_data learned before the count it judged', () => {
    const silence = rule({ name: 'quiet', metric: 'no_data', window: '5m', minVolume: 5 });
    const usual = new EwmaBaseline(600_000);
    usual.update(20, 10_000);
    const j = judge(silence, { value: 12, volume: 12, error: null }, context(null, usual), new Judgement());
    const kept = j.keepSummary();
    judge(silence, { value: 0, volume: 0, error: null }, context(null, usual), j);
    expect(kept()).toBe('12 payment or risk events in the last 5m (usually 20)');
  });

  it('counts one event as one', () => {
    const silence = rule({ name: 'quiet', metric: 'no_data', window: '5m', minVolume: 5 });
    const j = judge(silence, { value: 1, volume: 1, error: null }, context(null), new Judgement());
    expect(j.keepSummary()()).toBe('1 payment or risk event in the last 5m');
  });
});
