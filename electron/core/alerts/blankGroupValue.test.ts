// An alert about a merchant whose id is blank or padded (EVENTS.md allows any string) said
// "for merchant " or "for merchant  m_1": the summary, the notification's group and a Slack
// message read as if no merchant were named, or as merchant m_1. The group's value is now
// quoted where it would not be seen as written (empty, white space at an end, a leading quote),
// as the CLI's text output writes such labels; the labels themselves keep the value as stored.
import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { AlertEvaluator } from './alertEvaluator';
import { BurnRateEvaluator } from './burnRateEvaluator';
import { T0, payments, rule, sec } from '../../../test/support/alertTestKit';

function fireFor(merchantId: string) {
  const r = rule({ metric: 'decline_rate', groupBy: 'merchant', condition: { above: '20%' }, window: '1m', for: '0s', minVolume: 10 });
  const ev = new AlertEvaluator([r], null);
  ev.observeEvents(payments(0, 60, 5, () => 50, () => ({ merchantId })));
  const notes = ev.advanceTo(sec(75));
  return { note: notes.find((n) => n.kind === 'firing'), view: ev.list()[0] };
}

describe('the group of an alert about a blank or padded merchant id', () => {
  it.each([
    [' ', 'merchant " "'],
    ['\u00a0', 'merchant "\u00a0"'],
    [' m_1', 'merchant " m_1"'],
    ['m_1 ', 'merchant "m_1 "'],
    ['"m_1"', 'merchant "\\"m_1\\""'],
    ['m 1', 'merchant m 1'],
    ['m_1', 'merchant m_1'],
  ])('merchant %j is named as %s', (merchantId, named) => {
    const { note, view } = fireFor(merchantId);
    expect(note).toBeDefined();
    expect(note!.group).toBe(named);
    expect(note!.summary).toContain(`for ${named}`);
    expect(view.summary).toContain(`for ${named}`);
    expect(note!.labels.merchant).toBe(merchantId);
  });

  it('a burn-rate alert grouped by merchant names a blank merchant quoted too', () => {
    const v = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '99.9%', groupBy: 'merchant' }] });
    if (!v.ok) throw new Error('burn-rate rule');
    const e = new BurnRateEvaluator(v.config.burnRates);
    // Ten minutes of 20 % declines for merchant " ": a fast burn.
    e.observeEvents(payments(0, 600, 10, () => 20, () => ({ merchantId: ' ' })));
    const page = e.advanceTo(T0 + 600_000).find((n) => n.kind === 'firing');
    expect(page?.group).toBe('merchant " "');
    expect(page?.summary).toContain('for merchant " "');
  });
});
