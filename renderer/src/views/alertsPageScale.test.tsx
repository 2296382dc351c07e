// The Alerts view with a per-merchant rule firing across thousands of merchants (PaySim has
// ~10,000): the list redraws every second (its "since" column), so it draws a bounded number
// of rows and says how many it leaves out, never all of them.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { AlertList } from '../components/AlertList';
import { CurrentAlertList } from './AlertsPage';

const alert = (i: number): AlertView => ({
  key: `merchant-decline-spike|merchantId=m_${i}`, rule: 'merchant-decline-spike', severity: 'warning', labels: { merchantId: `m_${i}` },
  state: 'firing', metric: 'decline_rate', value: 0.4, peakValue: 0.4, summary: 'decline rate high', runbookUrl: null,
  activeSince: 1000 + i, firedAt: 1000 + i, resolvedAt: null, silenced: false, acknowledged: null, transitions: [],
});
const draw = (n: number) => renderToStaticMarkup(<CurrentAlertList alerts={Array.from({ length: n }, (_, i) => alert(i))} onAction={() => undefined} emptyText="none" />);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('alerts view at scale', () => {
  it('draws a bounded number of rows and says how many more there are', () => {
    const html = draw(5000);
    expect(html.match(/data-testid="alert-row"/g)).toHaveLength(200);
    expect(text(html)).toContain('200 of 5,000 alerts shown, in this order: filter by state, rule or label for the rest');
    // Not a link to the view it is on.
    expect(html).not.toContain('more in Alerts');
  });

  it('draws every row, and no note, when they fit', () => {
    const html = draw(150);
    expect(html.match(/data-testid="alert-row"/g)).toHaveLength(150);
    expect(text(html)).not.toContain('alerts shown');
  });

  it("the dashboard's panel counts what it leaves out with grouping", () => {
    const html = renderToStaticMarkup(<AlertList alerts={Array.from({ length: 5000 }, (_, i) => alert(i))} limit={8} compact />);
    expect(text(html)).toContain('4,992 more in Alerts');
  });
});
