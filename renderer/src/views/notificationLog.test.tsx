// The notification log's table as the renderer draws it (react-dom/server). Its times are local
// (Europe/Berlin) like every other table's, so the At heading names the zone and each cell's
// title the UTC instant; before, "At" named none (in a DST fall-back hour two rows read alike).
// The alerts' label values come from events: each is isolated with its undrawn characters
// shown; before they were joined raw ("merchantId=שלום attempt=2" reordered, an override drawn).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { inTimeZone } from '../../../test/support/timeZone';
import { NotificationLogTable } from './AlertsNotifications';

inTimeZone('Europe/Berlin');

const AT = Date.UTC(2026, 9, 25, 0, 30, 0, 250); // 02:30:00.250 CEST, the first pass of the repeated hour
const entry = {
  id: 1, at: AT, eventAt: AT, contactPoint: 'ops-webhook', contactType: 'webhook', outcome: 'sent', status: 'firing', groupKey: 'g', groupLabels: {},
  rule: 'merchant-decline-spike', alerts: [{ rule: 'merchant-decline-spike', labels: { alertname: 'merchant-decline-spike', merchantId: 'שלום', country: 'm_\u202e1' } }],
  attempt: 1, maxAttempts: 3, final: true, httpStatus: 200, error: null, durationMs: 12,
} as unknown as NotificationLogEntry;

describe('notification log table', () => {
  it('names the zone of its times and gives each its UTC instant', () => {
    const html = renderToStaticMarkup(<NotificationLogTable entries={[entry]} />);
    expect(html).toContain('At (GMT+2)');
    expect(html).toContain('title="2026-10-25 02:30:00.250 GMT+2 · 2026-10-25T00:30:00.250Z"');
  });

  it("isolates each alert's label values, undrawn characters shown", () => {
    const html = renderToStaticMarkup(<NotificationLogTable entries={[entry]} />);
    expect(html).not.toContain('\u202e');
    expect(html).toContain('<bdi>שלום</bdi>');
    expect(html).toContain('<bdi>m_\\u202e1</bdi>');
  });
});
