// The events table's cells as the renderer draws them (react-dom/server): values from the
// events are each their own isolate with their undrawn characters shown. Before, the issuer and
// BIN shared one text ("בנק / 529412"), which the browser draws BIN first ("529412 / בנק"), and
// a payment id with a zero-width space read as another id.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EventRow, QuarantineRow, TimelineStep } from '../../../../shared/explorer';
import { EventRowCells, TimelineSteps } from './EventsTab';
import { QuarantineDetailPanel } from './QuarantineTab';

const isolated = (html: string) => [...html.matchAll(/<bdi[^>]*>([^<]*)<\/bdi>/g)].map((m) => m[1]);

const row = {
  seq: 1, timeMs: Date.UTC(2026, 10, 23, 8), arrivalMs: Date.UTC(2026, 10, 23, 8), source: 'psp', id: 'e1', type: 'payment.declined', category: 'payment',
  paymentId: 'pay_\u200b1', merchantId: 'קפה', amount: 13367, currency: 'JPY', country: 'IL', declineCode: 'דחה', score: null, decision: null,
  issuer: 'בנק', cardBin: '529412',
} as unknown as EventRow;

describe('events table cells', () => {
  it('isolate the issuer and the BIN apart, and every id, with undrawn characters shown', () => {
    const html = renderToStaticMarkup(<EventRowCells row={row} />);
    // The type too: the producer's (eventTypeText.test.tsx).
    expect(isolated(html)).toEqual(['payment.declined', 'pay_\\u200b1', 'קפה', 'דחה', 'בנק', '529412']);
    expect(html).not.toContain('\u200b');
    expect(html).toContain('13,367 JPY');
  });

  it("a timeline step's decline code is its own isolate", () => {
    const step = { ...row, sinceStartMs: 0, sincePreviousMs: null } as unknown as TimelineStep;
    const html = renderToStaticMarkup(<TimelineSteps steps={[step]} onSelect={() => undefined} />);
    expect(isolated(html)).toEqual(['payment.declined', 'דחה']);
    expect(html).toContain('title="\u2068דחה\u2069: ');
  });
});

describe('a quarantined message', () => {
  // What the broker handed over that would not decode: its routing key, content type and
  // headers are a producer's. JSON.stringify leaves an override raw, so the headers' block drew it.
  it('shows its routing key, content type and headers with undrawn characters as \\uXXXX, each value isolated', () => {
    const q = {
      seq: 1, arrivalMs: Date.UTC(2026, 10, 23, 8), reason: 'body is not JSON', routingKey: 'payment.\u202eauthorized', contentType: 'application/json\u200b',
      origin: null, headers: { 'x-note': 'a\u202eb' }, body: { encoding: 'utf8', text: '{', size: 1, truncated: false },
    } as unknown as QuarantineRow;
    const html = renderToStaticMarkup(<QuarantineDetailPanel listed={q} detail={{ state: 'held', row: q }} onClose={() => undefined} />);
    expect(html).not.toMatch(/[\u202e\u200b]/);
    expect(isolated(html)).toEqual(expect.arrayContaining(['payment.\\u202eauthorized', 'application/json\\u200b']));
    expect(html).toContain('&quot;x-note&quot;: &quot;a\\u202eb&quot;');
  });
});
