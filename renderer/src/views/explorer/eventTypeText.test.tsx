// An event's type is the producer's (EVENTS.md: any non-empty string; unknown types are kept and
// shown), and so is a decline code. The explorer isolated an event's ids, issuer and routing key,
// but drew its type raw in the events table, the event's detail heading and the payment's
// timeline, and triage drew a grown decline code raw: an override turned the row round, a
// zero-width space made one type read as another. Now each is drawn as the other values are.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EventRow, TimelineStep } from '../../../../shared/explorer';
import { CodesGrown } from '../Triage';
import { EventDetailPanel, EventRowCells, TimelineSteps } from './EventsTab';

const TYPE = 'payment.\u202edeclined\u200b';
const SHOWN = 'payment.\\u202edeclined\\u200b';
const RAW = /[\u202e\u200b]/;

const row: EventRow = {
  seq: 1, timeMs: 0, arrivalMs: 0, source: 'psp', id: 'e1', type: TYPE, category: 'declined', subject: null, paymentId: 'p1', merchantId: 'm1',
  amount: 100, currency: 'EUR', country: null, method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, routingKey: null,
} as EventRow;

/** The text of every <bdi> in the markup. */
const isolated = (html: string) => [...html.matchAll(/<bdi[^>]*>([^<]*)<\/bdi>/g)].map((m) => m[1]);

describe("an event's type is isolated, undrawn characters shown", () => {
  it('in the events table, the detail heading and the timeline', () => {
    const step: TimelineStep = { ...row, sinceStartMs: 0, sincePreviousMs: null };
    for (const html of [
      renderToStaticMarkup(<EventRowCells row={row} />),
      renderToStaticMarkup(<EventDetailPanel row={row} onTimeline={() => undefined} onClose={() => undefined} />),
      renderToStaticMarkup(<TimelineSteps steps={[step]} onSelect={() => undefined} />),
    ]) {
      expect(html.replace(/ data-[\w-]+="[^"]*"/g, '')).not.toMatch(RAW);
      expect(isolated(html)).toContain(SHOWN);
    }
  });
});

describe("triage's grown decline codes", () => {
  it('draw the code isolated, undrawn characters shown', () => {
    const html = renderToStaticMarkup(
      <CodesGrown codes={[{ code: `9\u202e1`, meaning: 'unknown code', kind: 'soft', window: { count: 5, perAttempt: 0.1 }, baseline: { count: 1, perAttempt: 0.01 }, significant: true }]} />,
    );
    expect(html).not.toMatch(RAW);
    expect(isolated(html)).toContain('9\\u202e1');
  });
});
