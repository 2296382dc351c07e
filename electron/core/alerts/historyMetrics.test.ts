// History records carry their loaded rule's metric, so the console reads a peak in its unit.
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { DEFAULT_RULES } from './defaultRules';
import { withRuleMetrics } from './alertsService';

const record = (rule: string): AlertHistoryRecord => ({
  key: `${rule}|`, rule, severity: 'critical', labels: {}, group: '', state: 'firing', summary: '', value: 0.23, peakValue: 0.23,
  activeSince: 0, firedAt: 0, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null, transitions: [],
});

describe('alert history with its rules', () => {
  it("gives each record its rule's metric, and none to a rule no longer loaded", () => {
    const rule = DEFAULT_RULES.find((r) => r.metric === 'decline_rate');
    if (!rule) throw new Error('the default rules have a decline-rate rule');
    const [loaded, removed] = withRuleMetrics([record(rule.name), record('since-removed')], DEFAULT_RULES);
    expect(loaded.metric).toBe('decline_rate');
    expect(removed.metric).toBeUndefined();
    expect(removed).toEqual(record('since-removed'));
  });
});
