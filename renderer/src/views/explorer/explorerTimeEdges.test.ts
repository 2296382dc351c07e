// The explorer's window through its datetime-local inputs (local time, seconds): a window that
// came from a link, a triage click-through or "Report on this filter" must come back exactly,
// also in the hour a DST fall-back repeats and with milliseconds. Runs in Europe/Berlin.
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../../test/support/timeZone';
import { fmtDateTimeZone } from '../../lib/format';
import { filterChips, formOfFilter, parseLocal, toEventFilter, toLocalInput } from './explorerModel';

const CLOCK = Date.UTC(2026, 10, 23, 12, 0, 0);
inTimeZone('Europe/Berlin');

describe('explorer window through the local-time inputs', () => {
  it('an instant in the hour that a fall-back repeats (02:00-03:00 CET on 2026-10-25) keeps its offset', () => {
    // 01:15Z is 02:15 CET, the second 02:15 of that night; 00:15Z (02:15 CEST) reads the same.
    const from = Date.UTC(2026, 9, 25, 1, 15);
    const to = Date.UTC(2026, 9, 25, 1, 45);
    expect(toLocalInput(from)).toBe(toLocalInput(Date.UTC(2026, 9, 25, 0, 15)));
    expect(toEventFilter(formOfFilter({ from, to }), CLOCK)).toEqual({ filter: { from, to } });
    expect(parseLocal(toLocalInput(from), from)).toBe(from);
  });

  it('milliseconds of a window survive the form (a report "to" just after the newest event)', () => {
    const from = Date.UTC(2026, 10, 23, 11, 0, 0, 250);
    const to = Date.UTC(2026, 10, 23, 12, 0, 0, 751);
    expect(toEventFilter(formOfFilter({ from, to }), CLOCK)).toEqual({ filter: { from, to } });
    expect(parseLocal(toLocalInput(to), to)).toBe(to);
  });

  it('a value the operator typed is read as typed', () => {
    const to = Date.UTC(2026, 10, 23, 12, 0, 0, 751);
    expect(parseLocal('2026-11-23T13:30:00', to)).toBe(Date.UTC(2026, 10, 23, 12, 30, 0));
    const form = { ...formOfFilter({ from: Date.UTC(2026, 10, 23, 11, 0), to }), to: '2026-11-23T14:00:00' };
    expect(toEventFilter(form, CLOCK)).toEqual({ filter: { from: Date.UTC(2026, 10, 23, 11, 0), to: Date.UTC(2026, 10, 23, 13, 0) } });
  });
});

describe('the window chip in the hour a fall-back repeats', () => {
  it('names the offset, so the first and the second 02:15 do not read alike', () => {
    const first = { from: Date.UTC(2026, 9, 25, 0, 15), to: Date.UTC(2026, 9, 25, 0, 45) }; // 02:15-02:45 CEST
    const second = { from: Date.UTC(2026, 9, 25, 1, 15), to: Date.UTC(2026, 9, 25, 1, 45) }; // 02:15-02:45 CET
    const label = (f: { from: number; to: number }) => filterChips(f, fmtDateTimeZone)[0].label;
    expect(label(first)).toBe('2026-10-25 02:15:00 GMT+2 – 2026-10-25 02:45:00 GMT+2');
    expect(label(second)).toBe('2026-10-25 02:15:00 GMT+1 – 2026-10-25 02:45:00 GMT+1');
  });
});
