// The quarantine tab's arrival times read as the events table's do: in the operator's zone with
// the zone named (the list's heading, the detail's value), the UTC instant in the title; not a
// UTC ISO string beside views that show local time (Europe/Berlin, where 08:00 UTC is 09:00).
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QuarantineRow } from '../../../../shared/explorer';
import { quarantineRow } from '../../../../test/support/quarantineRow';
import { inTimeZone } from '../../../../test/support/timeZone';
import { QuarantineDetailPanel, QuarantineList, QuarantineTable, quarantineCountText } from './QuarantineTab';

inTimeZone('Europe/Berlin');

const row = (seq: number, arrivalMs: number) => quarantineRow(seq, arrivalMs);
const ARRIVED = Date.UTC(2026, 10, 1, 8, 0, 0, 250); // 09:00:00.250 CET
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('quarantine arrival times', () => {
  it('the detail gives the local time with its zone, the UTC instant in the title', () => {
    const html = renderToStaticMarkup(<QuarantineDetailPanel listed={row(1, ARRIVED)} detail={{ state: 'loading' }} onClose={() => undefined} />);
    expect(text(html)).toContain('2026-11-01 09:00:00.250 GMT+1');
    expect(html).toContain('title="2026-11-01T08:00:00.250Z"');
    expect(text(html)).not.toContain('2026-11-01T08:00:00.250Z');
  });

  it('a message found gone names its arrival the same way', () => {
    const html = renderToStaticMarkup(<QuarantineDetailPanel listed={row(1, ARRIVED)} detail={{ state: 'gone' }} onClose={() => undefined} />);
    expect(text(html)).toContain('arrived 2026-11-01 09:00:00.250 GMT+1');
    expect(text(html)).not.toContain('T08:00:00.250Z');
  });

  it("the list names its rows' zone in the heading, both sides of a DST change, and titles each row with its instant", () => {
    const one = renderToStaticMarkup(<QuarantineTable rows={[row(1, ARRIVED)]} openSeq={null} gone={new Set()} onOpen={() => undefined} />);
    expect(text(one)).toContain('Arrived (GMT+1)');
    expect(text(one)).toContain('2026-11-01 09:00:00');
    expect(one).toContain('title="2026-11-01 09:00:00.250 GMT+1 · 2026-11-01T08:00:00.250Z"');
    // 25 October 2026: 03:00 CEST goes back to 02:00 CET; both rows read 02:30 (newest first).
    const fallBack = [row(2, Date.UTC(2026, 9, 25, 1, 30)), row(1, Date.UTC(2026, 9, 25, 0, 30))];
    const both = renderToStaticMarkup(<QuarantineTable rows={fallBack} openSeq={null} gone={new Set()} onOpen={() => undefined} />);
    expect(text(both)).toContain('Arrived (GMT+2 → GMT+1, the clocks changed)');
  });
});

describe('the empty quarantine list (drawn while its first page loads)', () => {
  afterEach(() => vi.useRealTimers());
  const draw = () => text(renderToStaticMarkup(<QuarantineTable rows={[]} openSeq={null} gone={new Set()} onOpen={() => undefined} />));

  // No row names a zone; the rows to come arrived up to now, so the operator's zone now is the one they will read in.
  it("names the operator's zone as it is now, summer or winter", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 6, 1, 12));
    expect(draw()).toContain('Arrived (GMT+2)');
    vi.setSystemTime(Date.UTC(2026, 11, 1, 12));
    expect(draw()).toContain('Arrived (GMT+1)');
  });
});

describe('the quarantine list when its read fails', () => {
  // Before: a first page that failed left rows empty and not loading, so the tab said "Nothing
  // quarantined." (and "0+ quarantined messages") under the error, as if the list were empty.
  it('says nothing is quarantined only when a read said so', () => {
    const list = (rows: QuarantineRow[], loading: boolean, failed: boolean) =>
      renderToStaticMarkup(<QuarantineList rows={rows} loading={loading} failed={failed} filtered={false} openSeq={null} gone={new Set()} onOpen={() => undefined} />);
    expect(list([], false, true)).toBe('');
    expect(list([], true, false)).toBe('');
    expect(text(list([], false, false))).toContain('Nothing quarantined.');
    expect(list([row(1, ARRIVED)], false, true)).toContain('data-testid="quarantine-row"');
    expect(quarantineCountText({ rows: 0, done: false, error: true })).toBe('');
    expect(quarantineCountText({ rows: 1, done: true, error: false })).toBe('1 quarantined message');
    expect(quarantineCountText({ rows: 100, done: false, error: true })).toBe('100+ quarantined messages');
  });
});
