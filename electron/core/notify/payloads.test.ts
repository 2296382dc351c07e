import { describe, expect, it } from 'vitest';
import type { ContactPoint } from '../../../shared/notificationConfig';
import type { NotifiedAlert } from '../../../shared/notifications';
import { alertmanagerPayload, SLACK_TEXT_LIMIT, slackPayload } from './payloads';
import type { Dispatch } from './router';

const point = (type: 'webhook' | 'slack', maxAlerts: number): ContactPoint => ({ name: 'hook', type, url: 'http://127.0.0.1:1/hook', urlSecret: null, timeoutMs: 1000, maxAttempts: 1, sendResolved: true, maxAlerts });

const alerts = (n: number): NotifiedAlert[] =>
  Array.from({ length: n }, (_, i) => ({
    rule: 'merchant-decline-rate',
    severity: 'warning',
    status: 'firing',
    labels: { alertname: 'merchant-decline-rate', merchant: `M${1_000_000 + i}` },
    fingerprint: `fp${i}`,
    startsAt: Date.UTC(2026, 11, 6, 10),
    endsAt: null,
    summary: `decline rate 41.0 % > 20 % for merchant M${1_000_000 + i} over 5m (212 attempts)`,
  }));

const dispatch = (type: 'webhook' | 'slack', maxAlerts: number, n: number): Dispatch => ({
  contactPoint: point(type, maxAlerts),
  groupKey: '{}:{alertname="merchant-decline-rate"}',
  groupLabels: { alertname: 'merchant-decline-rate' },
  status: 'firing',
  alerts: alerts(n),
  at: Date.UTC(2026, 11, 6, 10, 5),
});

describe('one message for a large group (a rule grouped by merchant, thousands firing)', () => {
  it('a webhook sends every alert unless maxAlerts is set; then the first maxAlerts and truncatedAlerts counts the rest', () => {
    const all = alertmanagerPayload(dispatch('webhook', 0, 7));
    expect(all.alerts).toHaveLength(7);
    expect(all.truncatedAlerts).toBe(0);
    const cut = alertmanagerPayload(dispatch('webhook', 3, 7));
    expect(cut.alerts.map((a) => a.labels.merchant)).toEqual(['M1000000', 'M1000001', 'M1000002']);
    expect(cut.truncatedAlerts).toBe(4);
    expect(alertmanagerPayload(dispatch('webhook', 7, 7)).truncatedAlerts).toBe(0);
  });

  it('a Slack message stays under Slack\'s text limit and says how many it left out', () => {
    const text = slackPayload(dispatch('slack', 0, 3000)).text;
    expect(text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    const lines = text.split('\n');
    const listed = lines.filter((l) => l.startsWith('- decline rate')).length;
    expect(listed).toBeGreaterThan(300);
    expect(lines.at(-1)).toBe(`- ... and ${3000 - listed} more`);
  });

  it('a Slack message keeps maxAlerts lines when set, and lists a small group whole', () => {
    expect(slackPayload(dispatch('slack', 2, 5)).text.split('\n')).toEqual([
      '[FIRING:5] merchant-decline-rate',
      '- decline rate 41.0 % &gt; 20 % for merchant M1000000 over 5m (212 attempts)', // Slack shows &gt; as >
      '- decline rate 41.0 % &gt; 20 % for merchant M1000001 over 5m (212 attempts)',
      '- ... and 3 more',
    ]);
    expect(slackPayload(dispatch('slack', 0, 2)).text.split('\n')).toHaveLength(3);
  });
});
