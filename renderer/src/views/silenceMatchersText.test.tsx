// Silence matchers hold label values from the events (a merchant named in Hebrew or Arabic, an id
// with a right-to-left override, an id thousands of characters long). Before, they were joined
// raw: in the silences table 'merchantId="שלום", country="DE"' was drawn with the figures and
// quotes around the Hebrew reordered, an override turned the rest of the line round, and a long
// id made the table as wide as itself; the lines said when a silence is made or ended likewise.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertSilence, SilenceMatcher } from '../../../shared/alerts';
import { silencedLine } from './AlertsActions';
import { silenceEndedLine, SilencesTable } from './AlertsSilences';

const matchers: SilenceMatcher[] = [
  { label: 'merchantId', op: '=', value: 'שלום' },
  { label: 'country', op: '=~', value: 'm_\u202e1' },
];
const silence = (m: SilenceMatcher[]): AlertSilence => ({ id: 's1', matchers: m, endsAt: 2_000_000, comment: '', createdBy: 'ops', createdAt: 0, expiredAt: null });

describe('silence matchers in the silences table', () => {
  it('isolate each value, its undrawn characters shown', () => {
    const html = renderToStaticMarkup(<SilencesTable silences={[silence(matchers)]} alerts={[]} now={1_000_000} onExpire={() => undefined} />);
    expect(html).toContain('merchantId=&quot;<bdi>שלום</bdi>&quot;');
    expect(html).toContain('country=~&quot;<bdi>m_\\u202e1</bdi>&quot;');
    expect(html).not.toContain('\u202e');
  });

  it('cut a long value to what a cell holds, the whole in its title', () => {
    const long = 'm'.repeat(4000);
    const html = renderToStaticMarkup(<SilencesTable silences={[silence([{ label: 'merchantId', op: '=', value: long }])]} alerts={[]} now={1_000_000} onExpire={() => undefined} />);
    expect(html).toContain(`>${'m'.repeat(64)}…</bdi>`);
    expect(html).toContain(`title="${long}"`);
  });
});

describe('the status lines said when a silence is made or ended (before: the matcher text whole, as wide as itself)', () => {
  const long = 'm'.repeat(4000);
  const lines = {
    made: silencedLine({ matchers: [{ label: 'merchantId', op: '=', value: long }], endsAt: 2_000_000 }),
    ended: silenceEndedLine({ matchers: [{ label: 'merchantId', op: '=', value: long }] }),
  };
  it.each(Object.keys(lines) as (keyof typeof lines)[])('%s: cut a long value as the table cuts it, the whole in its title', (which) => {
    const html = renderToStaticMarkup(<>{lines[which]}</>);
    expect(html).toContain(`merchantId=&quot;<bdi title="${long}">${'m'.repeat(64)}…</bdi>&quot;`);
    expect(html.split(long)).toHaveLength(2);
  });

  it('isolate each value, its undrawn characters shown', () => {
    const html = renderToStaticMarkup(<>{silenceEndedLine({ matchers })}</>);
    expect(html).toMatch(/^Silence .* ended\.$/);
    expect(html).toContain('merchantId=&quot;<bdi>שלום</bdi>&quot;');
    expect(html).toContain('country=~&quot;<bdi>m_\\u202e1</bdi>&quot;');
    expect(html).not.toContain('\u202e');
  });
});
