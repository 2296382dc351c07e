// The payment id the timeline is opened for (its heading, the detail panel's button that opens
// it) as the renderer draws them (react-dom/server). The id comes from the events: before it was
// drawn raw, so an override in it turned the heading round and a 300-character id with no space
// widened the panel; the table's cells already drew it isolated and cut.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../../../shared/explorer';
import { EventDetailPanel, TimelinePanel } from './EventsTab';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ');
const row = (paymentId: string) =>
  ({ seq: 1, timeMs: 0, arrivalMs: 0, source: 'psp', id: 'e1', type: 'payment.declined', category: 'payment', paymentId, merchantId: 'm_1', amount: 100, currency: 'JPY' }) as unknown as EventRow;
const none = () => undefined;

describe('the payment id a timeline is for', () => {
  it('is isolated with its undrawn characters shown, in the heading and the button that opens it', () => {
    for (const html of [renderToStaticMarkup(<TimelinePanel paymentId={'pay_\u202e1'} onClose={none} onSelect={none} />), renderToStaticMarkup(<EventDetailPanel row={row('pay_\u202e1')} onTimeline={none} onClose={none} />)]) {
      expect(html).toContain('<bdi>pay_\\u202e1</bdi>');
      expect(text(html)).not.toContain('\u202e');
    }
  });

  it('is cut to what a heading holds, the whole in its title', () => {
    const long = 'p'.repeat(300);
    const html = renderToStaticMarkup(<TimelinePanel paymentId={long} onClose={none} onSelect={none} />);
    expect(html).toContain(`${'p'.repeat(64)}…</bdi>`);
    expect(html).toContain(`title="${long}"`);
  });
});
