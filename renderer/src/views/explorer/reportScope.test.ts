// "Export report…" from a filtered explorer: the report's figures cover the filter's window, every
// event of it; a CSV export holds the window's events that match the filter. An operator who
// filtered to one merchant and exported got every merchant's events without being told; the
// report tab says which conditions apply to what, and sends the filter with a CSV export.
import { describe, expect, it } from 'vitest';
import { reportExportFilter, reportScopeNote } from './explorerModel';

const FILTER = { from: 1, to: 2, merchantId: 'm_1', types: ['payment.declined'], currency: 'EUR', amountMin: 1000 };

describe('what a report from the explorer covers', () => {
  it('names the filter conditions other than the window, and what each format does with them', () => {
    expect(reportScopeNote(FILTER, 'html')).toBe(
      'The report covers every event of this window: the explorer\'s other conditions are not applied to its figures (type payment.declined, merchant m_1, EUR 10.00–…); a CSV export holds only the matching events.',
    );
    expect(reportScopeNote(FILTER, 'csv')).toBe('The CSV holds the events of this window that match the explorer\'s filter (type payment.declined, merchant m_1, EUR 10.00–…).');
  });

  it('says nothing for a window alone or no filter', () => {
    expect(reportScopeNote({ from: 1, to: 2 }, 'csv')).toBeNull();
    expect(reportScopeNote({}, 'html')).toBeNull();
  });

  it('a CSV export carries the filter without its window (the export has its own); other formats none', () => {
    expect(reportExportFilter(FILTER, 'csv')).toEqual({ merchantId: 'm_1', types: ['payment.declined'], currency: 'EUR', amountMin: 1000 });
    expect(reportExportFilter(FILTER, 'pdf')).toBeUndefined();
    expect(reportExportFilter({ from: 1, to: 2 }, 'csv')).toBeUndefined();
  });
});
