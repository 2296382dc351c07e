// "Export report…" from a filtered explorer takes only the filter's window: the report and its
// CSV hold every event of that window. An operator who filtered to one merchant and exported got
// every merchant's events without being told; the report tab now says which conditions it leaves out.
import { describe, expect, it } from 'vitest';
import { reportScopeNote } from './explorerModel';

describe('what a report from the explorer leaves out', () => {
  it('names the filter conditions other than the window', () => {
    expect(reportScopeNote({ from: 1, to: 2, merchantId: 'm_1', types: ['payment.declined'], currency: 'EUR', amountMin: 1000 })).toBe(
      'The report covers every event of this window: the explorer\'s other conditions are not applied (type payment.declined, merchant m_1, EUR 10.00–…).',
    );
  });

  it('says nothing for a window alone or no filter', () => {
    expect(reportScopeNote({ from: 1, to: 2 })).toBeNull();
    expect(reportScopeNote({})).toBeNull();
  });
});
