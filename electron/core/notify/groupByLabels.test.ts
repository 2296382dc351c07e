// A policy's groupBy as Alertmanager reads group_by: label names, each once, or '...' alone (one
// alert a group). Anything else was accepted and grouped otherwise than written: ['...', 'merchant']
// silently grouped by every label, 'merchant id' by a label no alert has.
import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';

function issuesOf(groupBy: unknown): string[] {
  const v = validateRouting({ contactPoints: [{ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook' }], policies: [{ contactPoint: 'hook', groupBy }] });
  return v.ok ? [] : v.issues.map((i) => i.text);
}

describe('groupBy', () => {
  it('takes label names, [] (one group) and [...] (one alert a group)', () => {
    expect(issuesOf(['alertname', 'merchant'])).toEqual([]);
    expect(issuesOf([])).toEqual([]);
    expect(issuesOf(['...'])).toEqual([]);
  });

  it("refuses '...' with other labels, as Alertmanager does", () => {
    expect(issuesOf(['...', 'merchant'])).toEqual(["policies[0].groupBy: '...' groups by every label: it cannot be listed with other labels"]);
  });

  it('refuses a label twice, and a name that is not a label name', () => {
    expect(issuesOf(['merchant', 'merchant'])).toEqual(['policies[0].groupBy[1]: "merchant" is listed twice']);
    expect(issuesOf(['merchant id'])).toEqual(['policies[0].groupBy[0]: "merchant id" is not a label name (letters, digits and _, not starting with a digit)']);
  });
});
