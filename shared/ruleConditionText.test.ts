import { describe, expect, it } from 'vitest';
import { parseRules, type AlertRuleInput } from './alertRules';
import { ruleConditionText } from './ruleConditionText';

const text = (input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'metric'>) => ruleConditionText(parseRules([{ name: 'r', description: 'd', severity: 'warning', window: '5m', ...input }])[0]);

describe("a rule's condition in words (a notification's description)", () => {
  it('says a rate in its unit and basis, the window, the pending period, the group and the volume', () => {
    expect(text({ metric: 'decline_rate', condition: { above: '20%' }, for: '2m', groupBy: 'merchant', minVolume: 50 })).toBe('decline rate per attempt above 20 % over 5m, for 2m, per merchant, judged from 50 attempts');
    expect(text({ metric: 'risk_blocked_rate', condition: { above: '3%' }, minVolume: 1 })).toBe('risk blocked rate per scored payment above 3 % over 5m, judged from 1 scored payment');
    expect(text({ metric: 'failure_rate', condition: { above: '5%' }, recoverBelow: '4%', keepFiringFor: '2m' })).toBe('failure rate per attempt above 5 % over 5m, recovers below 4 %, keeps firing 2m after it clears');
  });

  it('a baseline with its prior, and no_data with the stream it expects', () => {
    expect(text({ metric: 'decline_rate', condition: { baseline: { deviations: 3, minDelta: '5%', prior: { mean: '8%', deviation: '3%' } } } })).toBe(
      'decline rate per attempt above its baseline by 3 deviations and by at least 5 % (half-life 1h, warm-up 10m, from a prior of 8 % +/- 3 %) over 5m',
    );
    expect(text({ metric: 'no_data', window: '1m', minVolume: 50 })).toBe('no events over 1m, on a stream that usually carries at least 50 in such a window');
  });

  it('names a few of the queues a rule watches, and counts the rest (a description stays short)', () => {
    const queues = Array.from({ length: 200 }, (_, i) => `payments.work.${i}`);
    expect(text({ metric: 'queue_depth', condition: { above: 1000 }, queues })).toBe('queue depth above 1000 msgs over 5m, per queue, queues payments.work.0, payments.work.1, payments.work.2 and 197 more');
  });
});
