// "Export report…" from a filtered explorer: a CSV export holds the window's events that match the
// filter, and a report's figures cover them too (as `payops report` with filter flags), while its
// alerts, silences and explanation cover the whole window. An operator who filtered to one
// merchant and exported got every merchant's figures; the report tab says what covers what.
import { describe, expect, it } from 'vitest';
import { reportExportFilter, reportScopeNote } from './explorerModel';

const FILTER = { from: 1, to: 2, merchantId: 'm_1', types: ['payment.declined'], currency: 'EUR', amountMin: 1000 };

describe('what a report from the explorer covers', () => {
  it('names the filter conditions other than the window, and what each format does with them', () => {
    expect(reportScopeNote(FILTER, 'html')).toBe(
      'The report\'s figures cover the events of this window that match the explorer\'s filter (type payment.declined, merchant m_1, EUR 10.00–…); its alerts, silences and explanation cover the whole window.',
    );
    expect(reportScopeNote(FILTER, 'csv')).toBe('The CSV holds the events of this window that match the explorer\'s filter (type payment.declined, merchant m_1, EUR 10.00–…).');
  });

  it('says nothing for a window alone or no filter', () => {
    expect(reportScopeNote({ from: 1, to: 2 }, 'csv')).toBeNull();
    expect(reportScopeNote({}, 'html')).toBeNull();
  });

  it('an export carries the filter without its window (the export has its own), whatever its format', () => {
    expect(reportExportFilter(FILTER)).toEqual({ merchantId: 'm_1', types: ['payment.declined'], currency: 'EUR', amountMin: 1000 });
    expect(reportExportFilter({ from: 1, to: 2 })).toBeUndefined();
  });
});
