// @vitest-environment happy-dom
// A click on an alert's notification (the desktop's, the browser's) opened the Alerts view and
// left the on-call to find the alert among the others. It now opens the alert, as an Alertmanager
// or Grafana link does: the route #/alerts?alert=<key> selects its row (marked, scrolled to,
// focused), whatever filter was set and even past the rows the list draws; one no longer listed
// is said to be so. A link the desktop app would not open is said too, with how to allow it.
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../../shared/alerts';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { answerCalls } from '../testing/preloadApi';
import { LinkBlockedBanner } from '../components/LinkBlockedBanner';
import { notificationTarget } from '../lib/notify';
import { appStore } from '../store/appStore';
import { alertHash } from '../store/alerts';
import { AlertsPage } from './AlertsPage';

useDomRoots();

const alertView = (i: number, over: Partial<AlertView> = {}): AlertView => ({
  key: `decline-rate|merchant=m_${i}|1700000000000`, rule: 'decline-rate', severity: 'critical', labels: { merchant: `m_${i}` }, state: 'firing', metric: 'decline_rate',
  value: 0.3, peakValue: 0.3, summary: 'decline rate 30 %', runbookUrl: null, activeSince: 1_700_000_000_000, firedAt: 1_700_000_000_000 + i, resolvedAt: null,
  silenced: false, acknowledged: null, transitions: [], ...over,
});

/** What scrollIntoView was called on (happy-dom lays nothing out: the call is what can be seen). */
function scrolledRows(): HTMLElement[] {
  const scrolled: HTMLElement[] = [];
  vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement) {
    scrolled.push(this);
  });
  return scrolled;
}

async function go(hash: string): Promise<void> {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  window.location.hash = '';
  appStore.getState().setLinkBlocked(null);
});

describe('an alert opened from its notification', () => {
  answerCalls((async (name: string) => {
    throw new Error(`not in this test: ${name}`);
  }) as never);

  it('selects its row, scrolls it into view and focuses it, even past the rows drawn', async () => {
    const alerts = Array.from({ length: 250 }, (_, i) => alertView(i));
    appStore.getState().setAlerts(alerts);
    // The list's order is the store's (newest first): the one drawn last of all, past the 200 rows.
    const last = appStore.getState().alerts[249];
    const scrolled = scrolledRows();
    await go(alertHash(last.key));
    const container = await renderInDom(<AlertsPage />);
    const row = container.querySelector<HTMLElement>('[aria-current="true"]');
    expect(row?.dataset.key).toBe(last.key);
    expect(container.querySelectorAll('[aria-current="true"]')).toHaveLength(1);
    expect(scrolled).toEqual([row]);
    expect(document.activeElement).toBe(row);
    // Redrawn each second ("since"), it is not scrolled to again: the operator may scroll away.
    await act(async () => appStore.getState().setAlerts([...alerts]));
    expect(scrolled).toHaveLength(1);
  });

  it('is scrolled to again when its notification is clicked again (the route already the alert’s)', async () => {
    const alerts = Array.from({ length: 30 }, (_, i) => alertView(i, i === 3 ? { state: 'resolved', resolvedAt: 1_700_000_100_000 } : {}));
    appStore.getState().setAlerts(alerts);
    const scrolled = scrolledRows();
    await go(alertHash(alerts[3].key));
    const container = await renderInDom(<AlertsPage />);
    expect(scrolled).toHaveLength(1);
    // The operator filters to what fires (the resolved alert is hidden), then clicks its notification again.
    await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="alerts-filter-firing"]')!.click());
    expect(container.querySelector('[aria-current="true"]')).toBeNull();
    await act(async () => appStore.getState().noteAlertOpened());
    const row = container.querySelector<HTMLElement>('[aria-current="true"]');
    expect(row?.dataset.key).toBe(alerts[3].key);
    expect(scrolled.at(-1)).toBe(row);
    expect(document.activeElement).toBe(row);
  });

  it('shows it whatever filter was set, and waits for the list when it is not loaded yet', async () => {
    appStore.setState({ alerts: [], alertsLoadedAt: null });
    const resolved = alertView(7, { state: 'resolved', resolvedAt: 1_700_000_100_000 });
    const scrolled = scrolledRows();
    const container = await renderInDom(<AlertsPage />);
    await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="alerts-filter-firing"]')!.click());
    await go(alertHash(resolved.key));
    expect(container.querySelector('[aria-current="true"]')).toBeNull();
    expect(container.querySelector('[data-testid="alert-selected-gone"]')).toBeNull();
    await act(async () => appStore.getState().setAlerts([alertView(1), resolved]));
    const row = container.querySelector<HTMLElement>('[aria-current="true"]');
    expect(row?.dataset.key).toBe(resolved.key);
    expect(scrolled).toEqual([row]);
    expect(container.querySelector('[data-testid="alerts-filter-all"]')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('says so when the alert is no longer listed, pointing to History', async () => {
    appStore.getState().setAlerts([alertView(1)]);
    await go(alertHash('decline-rate|merchant=m_gone|1'));
    const container = await renderInDom(<AlertsPage />);
    expect(container.querySelector('[aria-current="true"]')).toBeNull();
    const gone = container.querySelector('[data-testid="alert-selected-gone"]');
    expect(gone?.textContent).toContain('no longer among the current alerts');
    expect(gone?.querySelector('a')?.getAttribute('href')).toBe('#/alerts/history');
  });

  it('the browser notification goes where the desktop one does: its alert, else the Alerts view', () => {
    expect(notificationTarget({ key: 'a|merchant=m 1' })).toBe('#/alerts?alert=a%7Cmerchant%3Dm%201');
    expect(notificationTarget({})).toBe('#/alerts');
  });
});

describe('a link the desktop app did not open', () => {
  it('names the host and how to allow it, until dismissed', async () => {
    appStore.getState().setLinkBlocked({ command: 'link.blocked', host: 'wiki.corp.example', reason: 'host' });
    const container = await renderInDom(<LinkBlockedBanner />);
    const banner = container.querySelector<HTMLElement>('[data-testid="link-blocked"]')!;
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('did not open the link to wiki.corp.example');
    expect(banner.textContent).toContain('add wiki.corp.example to PAYOPS_EXTERNAL_HOSTS');
    await act(async () => banner.querySelector('button')!.click());
    expect(container.querySelector('[data-testid="link-blocked"]')).toBeNull();
    expect(appStore.getState().linkBlocked).toBeNull();
  });

  it('says why for a link no allow-list opens (http, a login, a port, not a URL)', async () => {
    const said = async (reason: 'scheme' | 'credentials' | 'port' | 'invalid', host: string) => {
      await act(async () => appStore.getState().setLinkBlocked({ command: 'link.blocked', host, reason }));
      return document.querySelector('[data-testid="link-blocked"]')?.textContent ?? '';
    };
    await renderInDom(<LinkBlockedBanner />);
    expect(await said('scheme', 'wiki.corp.example')).toContain('https links only');
    expect(await said('credentials', 'wiki.corp.example')).toContain('carries a login');
    expect(await said('port', 'wiki.corp.example')).toContain('names a port');
    expect(await said('invalid', '')).toContain('not a web address');
  });
});
