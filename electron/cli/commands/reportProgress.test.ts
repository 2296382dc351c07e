// `payops report --out x.csv` logs its progress: a filtered CSV's total is not known until its
// last row (0 until then), so the line counts the events written instead of "N of 0 events".
import { describe, expect, it } from 'vitest';
import { exportProgressLine } from './reportCommand';

describe('exportProgressLine', () => {
  it('a known total: done of total with the percentage', () => {
    expect(exportProgressLine({ done: 500, total: 2000, bytes: 1 }, '')).toBe('exporting: 500 of 2,000 events (25%)');
  });

  it('a filtered export before its end: the matching events written so far', () => {
    expect(exportProgressLine({ done: 1500, total: 0, bytes: 1 }, ' matching merchant m_1')).toBe('exporting: 1,500 events so far matching merchant m_1');
  });
});
