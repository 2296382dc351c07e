// Absurd durations (99999999999d) are refused with the field and the bound, never accepted as a
// rule that can never fire, a policy that never repeats or a timer Node refuses to arm.
import { describe, expect, it } from 'vitest';
import { validateRules } from '../../../shared/alertRules';
import { validateRouting } from '../../../shared/notificationConfig';

const base = { name: 'r1', description: 'd', severity: 'warning', metric: 'decline_rate', condition: { above: 0.1 }, window: '5m' };
const ruleTexts = (rule: object) => {
  const r = validateRules([{ ...base, ...rule }]);
  return r.ok ? [] : r.issues.map((i) => i.text);
};
const routingTexts = (config: object) => {
  const r = validateRouting(config);
  return r.ok ? [] : r.issues.map((i) => i.text);
};

describe('duration bounds', () => {
  it('refuses for and keepFiringFor beyond a year, naming the field and the bound', () => {
    expect(ruleTexts({ for: '99999999999d' })).toEqual(['rule "r1" (rules[0]) field for: must be at most 365d (1 year)']);
    expect(ruleTexts({ keepFiringFor: 1e12 })).toEqual(['rule "r1" (rules[0]) field keepFiringFor: must be at most 365d (1 year)']);
    expect(ruleTexts({ condition: { baseline: { halfLife: '366d' } } })).toEqual(['rule "r1" (rules[0]) field condition.baseline.halfLife: must be at most 365d (1 year)']);
    expect(ruleTexts({ condition: { baseline: { warmup: '9999d' } } })).toEqual(['rule "r1" (rules[0]) field condition.baseline.warmup: must be at most 365d (1 year)']);
    expect(ruleTexts({ for: '365d', keepFiringFor: '8760h' })).toEqual([]);
  });

  it('refuses policy intervals beyond a year and burn-rate periods beyond a year', () => {
    const policy = (p: object) => ({ defaultPolicy: { contactPoint: 'desktop', ...p } });
    expect(routingTexts(policy({ repeatInterval: '99999999999d' }))).toEqual(['defaultPolicy.repeatInterval: must be at most 365d (1 year)']);
    expect(routingTexts(policy({ groupWait: '400d' }))).toEqual(['defaultPolicy.groupWait: must be at most 365d (1 year)']);
    expect(routingTexts(policy({ groupInterval: 1e15 }))).toEqual(['defaultPolicy.groupInterval: must be at most 365d (1 year)']);
    expect(routingTexts({ burnRates: [{ name: 'slo', objective: '99%', period: '99999d' }] })).toEqual(['burnRates[0].period: must be at most 365d (1 year)']);
    expect(routingTexts(policy({ repeatInterval: '365d', groupWait: '0s' }))).toEqual([]);
  });

  it('keeps a contact point timeout within what a timer can arm: 100ms to 10m', () => {
    const cp = (timeout: unknown) => ({ contactPoints: [{ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', timeout }] });
    expect(routingTexts(cp('99999999999d'))).toEqual(['contactPoints[0].timeout: must be at most 10m']);
    expect(routingTexts(cp(0))).toEqual(['contactPoints[0].timeout: must be at least 100ms']);
    expect(routingTexts(cp('10m'))).toEqual([]);
    expect(routingTexts(cp(0.2))).toEqual([]);
  });
});
