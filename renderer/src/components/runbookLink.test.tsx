// @vitest-environment happy-dom
// An alert's runbook in the console: the data reached every console (AlertView.runbookUrl, the
// history's records, a follower's included) but no screen drew it, so an on-call who opened a
// firing alert had no way to its runbook. The alert list and the History tab now link an http(s)
// runbook ("Runbook", opened outside the console: a new tab, rel="noopener noreferrer"), write a
// relative docs path as text, and never make an href of anything else; the History tab shows the
// rule's description (its condition in words) too. The notifications name the runbook's host.
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertNotification, AlertView } from '../../../shared/alerts';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { notificationBody } from '../lib/notify';
import { HistoryTable } from '../views/AlertsHistory';
import { AlertList } from './AlertList';

useDomRoots();

const RUNBOOK = 'https://wiki.example/runbooks/declines#issuer';
const DOCS_PATH = 'electron/core/alerts/RULES.md#decline-rate-spike';

const alert = (runbookUrl: string | null, key = 'k1'): AlertView => ({
  key, rule: 'decline-rate-spike', severity: 'critical', labels: { merchant: 'm_1' }, state: 'firing', metric: 'decline_rate', value: 0.3, peakValue: 0.3,
  summary: 'decline rate 30 %', runbookUrl, activeSince: 0, firedAt: 0, resolvedAt: null, silenced: false, acknowledged: null, transitions: [],
});

const record = (over: Partial<AlertHistoryRecord>): AlertHistoryRecord => ({
  key: 'h1', rule: 'decline-rate-spike', severity: 'critical', labels: {}, group: '', state: 'firing', summary: 'decline rate 30 %', metric: 'decline_rate',
  value: 0.3, peakValue: 0.3, activeSince: 0, firedAt: 0, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null, transitions: [], ...over,
});

const runbookOf = (root: HTMLElement) => root.querySelector<HTMLElement>('[data-testid="alert-runbook"]');

describe("the alert list's runbook", () => {
  it('links an http(s) runbook, opened outside the console', async () => {
    const root = await renderInDom(<AlertList alerts={[alert(RUNBOOK)]} onAction={() => undefined} />);
    const link = runbookOf(root) as HTMLAnchorElement;
    expect(link.tagName).toBe('A');
    expect(link.textContent).toBe('Runbook');
    expect(link.getAttribute('href')).toBe(RUNBOOK);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('aria-label')).toBe('Runbook for decline-rate-spike (opens wiki.example outside the console)');
  });

  it('writes a relative docs path as text, not a link', async () => {
    const root = await renderInDom(<AlertList alerts={[alert(DOCS_PATH)]} onAction={() => undefined} />);
    expect(runbookOf(root)?.tagName).toBe('SPAN');
    expect(runbookOf(root)?.textContent).toBe(`Runbook: ${DOCS_PATH}`);
    expect(root.querySelector(`a[href*="RULES.md"]`)).toBeNull();
  });

  it('draws nothing for an alert without a runbook', async () => {
    const root = await renderInDom(<AlertList alerts={[alert(null)]} onAction={() => undefined} />);
    expect(runbookOf(root)).toBeNull();
    expect(root.textContent).not.toContain('Runbook');
  });

  // The rules schema and the metrics stream refuse these; a value that reached a view any other
  // way is checked again where it is drawn, and is never an href (nor text to copy and paste).
  it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)//https://x', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd', ' https://wiki.example/x', 'https://wiki.example/a b'])(
    'never makes an href of %s',
    async (url) => {
      const root = await renderInDom(<AlertList alerts={[alert(url)]} onAction={() => undefined} />);
      expect(runbookOf(root)).toBeNull();
      const hrefs = [...root.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
      expect(hrefs.filter((h) => !h.startsWith('#/'))).toEqual([]);
    },
  );
});

// The rule's condition in words beside a firing alert, where the History tab already showed it:
// the list an on-call opens first had only the summary.
describe("the alert list's description", () => {
  const description = 'decline rate per attempt above 10 % over 10s, per merchant. Declines are up.';

  it('shows the description under the summary, its undrawn characters shown, and none in the compact list', async () => {
    const root = await renderInDom(<AlertList alerts={[{ ...alert(null), description: `${description}\u202e` }]} onAction={() => undefined} />);
    expect(root.querySelector('[data-testid="alert-description"]')?.textContent).toBe(`${description}\\u202e`);
    const compact = await renderInDom(<AlertList alerts={[{ ...alert(null), description }]} onAction={() => undefined} compact />);
    expect(compact.querySelector('[data-testid="alert-description"]')).toBeNull();
  });

  it('draws nothing for an alert whose collector sent none', async () => {
    const root = await renderInDom(<AlertList alerts={[alert(null)]} onAction={() => undefined} />);
    expect(root.querySelector('[data-testid="alert-description"]')).toBeNull();
  });
});

describe("the History tab's runbook and description", () => {
  it("shows the rule's description and links its runbook", async () => {
    const description = 'decline rate per attempt above 10 % over 5m, for 2m. Declines are up.';
    const root = await renderInDom(<HistoryTable rows={[record({ runbookUrl: RUNBOOK, description })]} now={0} onNote={() => undefined} />);
    expect(root.querySelector('[data-testid="history-description"]')?.textContent).toBe(description);
    expect(runbookOf(root)?.getAttribute('href')).toBe(RUNBOOK);
    expect(runbookOf(root)?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('draws neither for a record stored before payops kept them', async () => {
    const root = await renderInDom(<HistoryTable rows={[record({})]} now={0} onNote={() => undefined} />);
    expect(root.querySelector('[data-testid="history-description"]')).toBeNull();
    expect(runbookOf(root)).toBeNull();
  });
});

describe("the browser notification's runbook", () => {
  const n: AlertNotification = { kind: 'firing', rule: 'decline-rate-spike', severity: 'critical', labels: {}, value: 0.3, metric: 'decline_rate', summary: 'decline rate 30 %', at: 0 };

  it('names the runbook by its host only: a path or query may hold a token', () => {
    const body = notificationBody({ ...n, runbookUrl: 'https://ops:***@wiki.example/runbooks/declines?token=***' });
    expect(body.split('\n').at(-1)).toBe('Runbook: wiki.example');
    expect(body).not.toContain('token');
    expect(body).not.toContain('ops');
  });

  it('says nothing of a docs path or a missing runbook', () => {
    expect(notificationBody({ ...n, runbookUrl: DOCS_PATH })).not.toContain('Runbook');
    expect(notificationBody({ ...n, runbookUrl: null })).not.toContain('Runbook');
  });
});
