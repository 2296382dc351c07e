// A running export's progress in the Report tab: a filtered CSV does not know how many events
// match until it has written them (its total is 0 until then); the bar is then indeterminate
// and the text counts what is written, instead of "1,234 / 0" or a bar stuck full.
import { describe, expect, it } from 'vitest';
import { exportProgress } from './explorerModel';

describe('exportProgress', () => {
  it('a known total: a bar of done out of total', () => {
    expect(exportProgress({ done: 700, total: 2800 })).toEqual({ value: 700, max: 2800, text: '700 / 2,800' });
  });

  it('a total not known yet: an indeterminate bar and the rows written so far', () => {
    expect(exportProgress({ done: 1234, total: 0 })).toEqual({ value: null, max: null, text: '1,234 events so far' });
    expect(exportProgress({ done: 1, total: 0 }).text).toBe('1 event so far');
  });
});
