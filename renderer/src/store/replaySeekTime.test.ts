// The Replay view's "Go to" input (datetime-local, local time, seconds): focusing it fills it
// with the replay's position, and seeking without editing it must go back to that position
// exactly, also in the hour a DST fall-back repeats and with milliseconds. Runs in
// Europe/Berlin (as the explorer's explorerTimeEdges.test.ts and the dashboard's customRange.test.ts).
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { toLocalInput } from '../views/explorer/explorerModel';
import { readSeekInput, seekInput } from './replay';

inTimeZone('Europe/Berlin');

describe('the replay Go to input through local time', () => {
  it('a position in the hour a fall-back repeats (02:00-03:00 CET on 2026-10-25) seeks there, not one hour early', () => {
    const position = Date.UTC(2026, 9, 25, 1, 15, 30); // 02:15:30 CET, the second 02:15:30 of that night
    const input = seekInput(position);
    expect(input.text).toBe(toLocalInput(Date.UTC(2026, 9, 25, 0, 15, 30))); // reads as 02:15:30 CEST too
    expect(readSeekInput(input)).toBe(position);
  });

  it('the milliseconds of a position survive the input', () => {
    const position = Date.UTC(2026, 10, 23, 11, 0, 12, 250);
    expect(seekInput(position).text).toBe('2026-11-23T12:00:12');
    expect(readSeekInput(seekInput(position))).toBe(position);
  });

  it('an edited input is read as typed, in local time, and an invalid one is refused', () => {
    const input = seekInput(Date.UTC(2026, 9, 25, 1, 15, 30));
    expect(readSeekInput({ ...input, text: '2026-10-25T04:00' })).toBe(Date.UTC(2026, 9, 25, 3, 0));
    expect(readSeekInput({ ...input, text: '2026-11-23T13:30:05.5' })).toBe(Date.UTC(2026, 10, 23, 12, 30, 5, 500));
    expect(readSeekInput({ ...input, text: '2026-02-31T00:00' })).toBeNull();
    expect(readSeekInput({ ...input, text: '' })).toBeNull();
  });

  it('an unknown position leaves the input empty', () => {
    expect(seekInput(null)).toEqual({ text: '' });
    expect(seekInput(Number.NaN)).toEqual({ text: '' });
    expect(readSeekInput(seekInput(null))).toBeNull();
  });
});
