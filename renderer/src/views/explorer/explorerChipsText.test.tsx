// @vitest-environment happy-dom
// The explorer's filter comes from a link as often as from the form: triage links a segment's
// merchant or issuer, as the events hold it, and a link is anyone's to send. The applied
// filter's chips, their Remove buttons' names and the report tab's note of what the filter
// covers drew those values raw: an override in a merchant id turned the chip (and the note's
// closing parenthesis) round, a zero-width space made m_1 read as another merchant. Now each
// value is isolated (a <bdi>) with its undrawn characters shown, as the tables draw it; the
// Remove button's name shows them too, with no isolation marks to be read out.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { renderInDom, useDomRoots } from '../../testing/domRootKit';
import { FilterChips } from './EventsTab';
import { filterChips } from './explorerModel';
import { ReportTab } from './ReportTab';

useDomRoots();

const RAW = /[\u202e\u200b\u2068\u2069]/;
const LINKED = { from: 1, to: 2, merchantId: 'm_\u202e1042', types: ['payment.\u200bdeclined', 'payment.failed'] };

describe('the applied filter from a link', () => {
  it('its chips draw each value isolated, undrawn characters shown', async () => {
    const container = await renderInDom(<FilterChips chips={filterChips(LINKED, String)} onRemove={() => undefined} />);
    const chips = container.querySelector('[data-testid="explorer-chips"]')!;
    expect(chips.textContent).not.toMatch(RAW);
    const merchant = chips.querySelector('[data-chip="merchantId"]')!;
    expect(merchant.textContent).toBe('merchant m_\\u202e1042×');
    expect(merchant.querySelector('bdi')!.textContent).toBe('m_\\u202e1042');
    const types = chips.querySelector('[data-chip="types"]')!;
    expect([...types.querySelectorAll('bdi')].map((b) => b.textContent)).toEqual(['payment.\\u200bdeclined', 'payment.failed']);
  });

  it("a chip's Remove button is named with the value's undrawn characters shown", async () => {
    const container = await renderInDom(<FilterChips chips={filterChips(LINKED, String)} onRemove={() => undefined} />);
    const names = [...container.querySelectorAll('[data-testid="explorer-chip-remove"]')].map((b) => b.getAttribute('aria-label')!);
    expect(names).toContain('Remove filter merchant m_\\u202e1042');
    expect(names).toContain('Remove filter type payment.\\u200bdeclined, payment.failed');
    names.forEach((n) => expect(n).not.toMatch(RAW));
  });

  it("the report tab's note of what the filter covers", () => {
    const html = renderToStaticMarkup(<ReportTab seed={{ from: 1, to: 2, alertKey: null, filter: LINKED }} />);
    const note = html.match(/data-testid="report-scope-note">(.*?)<\/p>/)![1];
    expect(note).not.toMatch(RAW);
    expect(note).toContain('merchant m_\\u202e1042');
  });
});
