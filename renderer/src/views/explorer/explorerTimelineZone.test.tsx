// A payment's timeline reads its times as the events table beside it does: in the operator's
// zone, with the zone named, so the two passes of the hour a DST fall-back repeats stay apart
// (Europe/Berlin, 25 October 2026: 03:00 CEST goes back to 02:00 CET).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TimelineStep } from '../../../../shared/explorer';
import { inTimeZone } from '../../../../test/support/timeZone';
import { fmtDateTimeMsZone } from '../../lib/format';
import { EventsTableHead, TimelineSteps } from './EventsTab';

inTimeZone('Europe/Berlin');

const step = (seq: number, timeMs: number, sincePreviousMs: number | null): TimelineStep => ({
  seq, timeMs, arrivalMs: timeMs, source: 'psp/authorizer', id: `e${seq}`, type: 'payment.declined', category: 'payment',
  subject: null, paymentId: 'pay_1', merchantId: 'm_1', amount: 1250, currency: 'KWD', country: 'KW', method: 'card',
  cardBin: '424242', latencyMs: 10, declineCode: '05', score: null, decision: null, routingKey: null,
  issuer: null, scheme: null, acquirer: null, mcc: null, threeDS: null, attempt: null, sinceStartMs: 0, sincePreviousMs,
});

describe('payment timeline times', () => {
  it('are local, to the millisecond, with the zone named on each side of the fall-back', () => {
    const first = Date.UTC(2026, 9, 25, 0, 30, 0, 123); // 02:30:00.123 CEST
    const second = Date.UTC(2026, 9, 25, 1, 30, 0, 123); // 02:30:00.123 CET, an hour later
    const html = renderToStaticMarkup(<TimelineSteps steps={[step(1, first, null), step(2, second, 3_600_000)]} onSelect={() => undefined} />);
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('02:30:00.123 GMT+2');
    expect(text).toContain('02:30:00.123 GMT+1');
    // Not the UTC clock (00:30 / 01:30) that the table beside it does not show.
    expect(text).not.toContain('00:30:00.123');
  });
});

describe("an event's instant", () => {
  it('is local with its milliseconds and zone, both passes of the repeated hour apart', () => {
    expect(fmtDateTimeMsZone(Date.UTC(2026, 9, 25, 0, 30, 0, 5))).toBe('2026-10-25 02:30:00.005 GMT+2');
    expect(fmtDateTimeMsZone(Date.UTC(2026, 9, 25, 1, 30, 0, 5))).toBe('2026-10-25 02:30:00.005 GMT+1');
    expect(fmtDateTimeMsZone(null)).toBe('—');
  });
});

describe("the events table's Time heading", () => {
  const heading = (rows: TimelineStep[]) => renderToStaticMarkup(<EventsTableHead rows={rows} />).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('names the zone the rows are in (only each cell\'s title did)', () => {
    const noon = Date.UTC(2026, 10, 23, 11, 0, 0); // 12:00 CET
    expect(heading([step(2, noon + 60_000, null), step(1, noon, null)])).toContain('Time (GMT+1)');
  });

  it('says when the clocks changed within the rows shown, with both sides', () => {
    const first = Date.UTC(2026, 9, 25, 0, 30, 0); // 02:30 CEST
    const second = Date.UTC(2026, 9, 25, 1, 30, 0); // 02:30 CET
    expect(heading([step(2, second, null), step(1, first, null)])).toContain('Time (GMT+2 → GMT+1, the clocks changed)');
  });
});
