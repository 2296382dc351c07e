// @vitest-environment happy-dom
// A chart as a screen reader user meets it. Before: the focusable plot (role application, the
// arrow keys' values) sat inside an element of role img, whose children are presentational (ARIA),
// so what had focus was no control at all to assistive technology; and the values the arrow keys
// chose were drawn in a tooltip only, never said. Now the chart is a figure with its name, and
// the values at the time the keys chose (with its zone) are said in a polite live region; Home
// and End go to the first and last time.
import { act, createElement, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderInDom, useDomRoots } from '../testing/domRootKit';
import { inTimeZone } from '../../../test/support/timeZone';
import { ALERT_TABS, type AlertTab } from '../store/alerts';
import { TabList } from './TabList';
import { TimeChart } from './TimeChart';

inTimeZone('Europe/Berlin');

useDomRoots();

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0); // 09:00 CET
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

async function renderChart() {
  const series = [{ key: 'approval', name: 'Approval rate per attempt', color: '#0a0', points: [[T0, 0.9], [T0 + 60_000, 0.85], [T0 + 120_000, 0.8]] as [number, number][] }];
  return renderInDom(createElement(TimeChart, { testId: 'rates', label: 'Approval rate per attempt, percent, 09:00-09:03', series, fromMs: T0, toMs: T0 + 180_000, format: pct, theme: 'dark', emptyText: 'No attempts' }));
}

async function key(el: Element, k: string) {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });
}

describe('a chart and the keyboard, for a screen reader', () => {
  it('is a figure named by its label, not an img holding a focusable control', async () => {
    const container = await renderChart();
    const chart = container.querySelector('[data-testid="rates"]')!;
    expect(chart.getAttribute('role')).toBe('figure');
    expect(chart.getAttribute('aria-label')).toBe('Approval rate per attempt, percent, 09:00-09:03');
    expect(container.querySelector('[role="img"] [tabindex="0"]')).toBeNull();
  });

  it('says the values at the time the arrow keys, Home and End choose, with the zone', async () => {
    const container = await renderChart();
    const plot = container.querySelector<HTMLElement>('[role="application"]')!;
    const live = container.querySelector('[aria-live="polite"]');
    expect(live).not.toBeNull();
    expect(live!.textContent).toBe('');
    await key(plot, 'ArrowRight');
    expect(live!.textContent).toBe('2026-11-23 09:00:00 GMT+1: Approval rate per attempt 90.0 %');
    await key(plot, 'End');
    expect(live!.textContent).toBe('2026-11-23 09:02:00 GMT+1: Approval rate per attempt 80.0 %');
    await key(plot, 'Home');
    expect(live!.textContent).toBe('2026-11-23 09:00:00 GMT+1: Approval rate per attempt 90.0 %');
    await key(plot, 'Escape');
    expect(live!.textContent).toBe('');
  });
});

// The Alerts and Explorer views' tabs. Before: every tab was a Tab stop and the arrow keys did
// nothing, though a screen reader says "tab, 1 of 4" and the tabs pattern moves by arrows.
describe('a tab list and the keyboard', () => {
  type Id = AlertTab;
  const TABS = ALERT_TABS.slice(0, 3);

  function Tabs() {
    const [tab, setTab] = useState<Id>('current');
    return createElement(TabList<Id>, { label: 'Alerts sections', className: 'tabs', idPrefix: 'alerts', tabs: TABS, selected: tab, onSelect: setTab });
  }

  it('is one Tab stop, the selected tab; arrows, Home and End move and select, round the ends', async () => {
    const container = await renderInDom(createElement(Tabs));
    const stops = () => [...container.querySelectorAll('[role="tab"]')].filter((t) => (t as HTMLElement).tabIndex >= 0).map((t) => t.id);
    const selected = () => container.querySelector('[aria-selected="true"]')!.id;
    expect(stops()).toEqual(['alerts-tab-current']);
    const first = container.querySelector<HTMLElement>('#alerts-tab-current')!;
    first.focus();
    await key(first, 'ArrowRight');
    expect(selected()).toBe('alerts-tab-history');
    expect(document.activeElement?.id).toBe('alerts-tab-history');
    expect(stops()).toEqual(['alerts-tab-history']);
    await key(document.activeElement!, 'End');
    expect(selected()).toBe('alerts-tab-silences');
    await key(document.activeElement!, 'ArrowRight');
    expect(selected()).toBe('alerts-tab-current');
    await key(document.activeElement!, 'ArrowLeft');
    expect(selected()).toBe('alerts-tab-silences');
    await key(document.activeElement!, 'Home');
    expect(selected()).toBe('alerts-tab-current');
    expect(document.activeElement?.id).toBe('alerts-tab-current');
  });
});
