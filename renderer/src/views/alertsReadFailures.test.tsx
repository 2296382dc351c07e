// The silences list and the notification log when their read fails (react-dom/server). Before,
// a failed first read drew its error and "Loading…" under it for good, with no way to read again
// but leaving the tab (the silences) or a Refresh that said nothing of it (the log): an operator
// waited for a list that was never coming. Each now says what failed and offers to read again,
// never "Loading…" beside a failure, and says so when the rows shown are an earlier read's.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertSilence } from '../../../shared/alerts';
import { NotificationLogNotice } from './AlertsNotifications';
import { SilencesNotice } from './AlertsSilences';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const retry = () => undefined;
const silence: AlertSilence = { id: 's1', matchers: [{ label: 'merchantId', op: '=', value: 'm_1' }], endsAt: 1, comment: '', createdBy: 'ops', createdAt: 0, expiredAt: null };

const firstReadFailed = [
  { list: 'the silences list', what: 'Silences', draw: (error: string) => <SilencesNotice silences={null} error={error} onRetry={retry} /> },
  { list: 'the notification log', what: 'Notification log', draw: (error: string) => <NotificationLogNotice log={null} error={error} onRetry={retry} /> },
];

describe.each(firstReadFailed)('$list', ({ what, draw }) => {
  it('after a failed first read says what failed and offers to read again, not "Loading…"', () => {
    const html = renderToStaticMarkup(draw('the engine is not running'));
    expect(text(html)).toContain(`${what} unavailable: the engine is not running.`);
    expect(html).toMatch(/<button[^>]*>Try again<\/button>/);
    expect(html).not.toContain('Loading');
  });
});

describe('the silences list', () => {
  it('after a failed read again says the rows shown are from the read before', () => {
    expect(text(renderToStaticMarkup(<SilencesNotice silences={[silence]} error="timed out" onRetry={retry} />))).toContain('The rows below are from the read before.');
  });

  it('keeps loading, empty and failed apart', () => {
    expect(renderToStaticMarkup(<SilencesNotice silences={null} error={null} onRetry={retry} />)).toContain('Loading…');
    expect(renderToStaticMarkup(<SilencesNotice silences={[]} error={null} onRetry={retry} />)).toContain('No silences.');
    expect(renderToStaticMarkup(<SilencesNotice silences={[]} error="timed out" onRetry={retry} />)).not.toContain('No silences.');
  });
});

describe('the notification log', () => {
  it('keeps loading, empty and failed apart', () => {
    expect(renderToStaticMarkup(<NotificationLogNotice log={null} error={null} onRetry={retry} />)).toContain('Loading…');
    expect(renderToStaticMarkup(<NotificationLogNotice log={{ entries: [], routing: true }} error={null} onRetry={retry} />)).toContain('Nothing notified yet.');
    expect(renderToStaticMarkup(<NotificationLogNotice log={{ entries: [], routing: true }} error="timed out" onRetry={retry} />)).not.toContain('Nothing notified yet.');
  });
});
