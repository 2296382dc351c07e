// The dashboard's rollup charts in Debian's Chromium, through `payops serve`, against the real
// broker and a real database: each chart shows what the published (and stored) events say for
// the window, compare and drag-to-zoom work, three viewports have no horizontal scroll and keep
// their key columns, the keyboard drives it, and axe finds no serious or critical violation.
import AxeBuilder from '@axe-core/playwright';
import amqp from 'amqplib';
import type { Page } from '@playwright/test';
import { cloudEvent, expectedFigures, trafficBetween, type KitEvent } from '../test/support/dashboardTestKit';
import { AMQP_URL, expect, test } from './servedConsole';

const MIN = 60_000;

async function publish(exchange: string, events: KitEvent[]) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (const e of events) {
    const ce = cloudEvent(e);
    ch.publish(exchange, String(ce.type), Buffer.from(JSON.stringify(ce)), { contentType: 'application/cloudevents+json' });
  }
  await ch.waitForConfirms();
  await conn.close();
}

const attr = async (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

/** The panels draw one after another (each in a task of its own): waits until all show the rates panel's window. */
async function panelsDrawn(page: Page) {
  const panels = ['panel-latency', 'panel-volume', 'panel-decisions', 'panel-decline-codes'];
  await expect
    .poll(async () => {
      const want = await attr(page, 'panel-rates', 'data-window');
      const got = await Promise.all(panels.map((p) => attr(page, p, 'data-window')));
      return got.every((w) => w === want);
    })
    .toBe(true);
}

/** Events in the last 40 minutes (whole minutes before now) and the same 40 minutes yesterday. */
function scenario(now: number) {
  const end = Math.floor(now / MIN) * MIN - MIN;
  const today = trafficBetween(end - 40 * MIN, end, 12, 11);
  const yesterday = trafficBetween(end - 40 * MIN - 24 * 60 * MIN, end - 24 * 60 * MIN, 5, 12);
  return { today, yesterday, from: end - 40 * MIN, end };
}

test('each chart shows what the stored events say for the window; compare and zoom work', async ({ consolePage: page, served }) => {
  const s = scenario(Date.now());
  await publish(served.exchange, [...s.today, ...s.yesterday]);
  await expect.poll(async () => Number((await page.getByTestId('totals-events').textContent())?.replace(/\D/g, ''))).toBe(s.today.length + s.yesterday.length);
  await page.getByTestId('range-1h').click();
  const want = expectedFigures(s.today, 0, Number.MAX_SAFE_INTEGER);

  // Rates: per attempt and per payment (retried soft declines under one paymentId), from the per-minute rollups.
  await expect.poll(() => attr(page, 'panel-rates', 'data-attempts')).toBe(String(want.authorized + want.declined + want.failed));
  expect(Number(await attr(page, 'panel-rates', 'data-approval'))).toBeCloseTo(want.approvalRate, 9);
  expect(want.payments).toBeLessThan(want.authorized + want.declined + want.failed);
  expect(want.paymentApprovalRate).toBeGreaterThan(want.approvalRate);
  expect(Number(await attr(page, 'panel-rates', 'data-payments'))).toBe(want.payments);
  expect(Number(await attr(page, 'panel-rates', 'data-payment-approval'))).toBeCloseTo(want.paymentApprovalRate, 9);
  await expect(page.getByTestId('rates-summary')).toContainText('per payment');
  await expect(page.getByRole('figure', { name: /Approval rate per attempt and per payment/ })).toBeVisible();
  // Thresholds and the learned baseline of the default rules are drawn and named.
  await expect(page.getByTestId('panel-rates')).toContainText('decline-rate-spike');
  await panelsDrawn(page);

  // Latency percentiles within the histogram's resolution.
  for (const [name, exact] of [['data-p50', want.latencyP50], ['data-p95', want.latencyP95], ['data-p99', want.latencyP99]] as const) {
    const got = Number(await attr(page, 'panel-latency', name));
    expect(Math.abs(got - exact!) / (exact! + 1)).toBeLessThan(0.045);
  }

  // Money per currency, exact in minor units, shown in major units.
  for (const currency of ['EUR', 'JPY', 'KWD']) {
    const minor = s.today.filter((e) => e.type === 'payment.authorized' && e.currency === currency).reduce((sum, e) => sum + e.amount!, 0);
    await expect(page.getByTestId(`volume-row-${currency}`)).toHaveAttribute('data-authorized-minor', String(minor));
  }
  await expect(page.getByTestId('volume-row-JPY')).not.toContainText('.');
  // A step's money in the volume chart's table (and tooltip) to the currency's decimals: KWD in
  // thousandths, as the totals read, never rounded as the axis is (0.125 KWD read "0.13").
  await page.getByTestId('volume-currency').selectOption('KWD');
  await page.getByTestId('volume-chart-table').locator('summary').click();
  const kwdSteps = new Map<number, number>();
  for (const e of s.today) if (e.type === 'payment.authorized' && e.currency === 'KWD') kwdSteps.set(Math.floor(e.timeMs / MIN), (kwdSteps.get(Math.floor(e.timeMs / MIN)) ?? 0) + e.amount!);
  const kwdCells = page.getByTestId('volume-chart-table').locator('tbody tr td:first-of-type');
  await expect.poll(() => kwdCells.count()).toBeGreaterThan(0);
  // quiet steps around the traffic read 0 (a count with no events is zero, not the last value)
  const shown = (await kwdCells.allTextContents()).filter((t) => t !== '—' && t !== '0.000').sort();
  const exact = [...kwdSteps.values()].map((minor) => `${Math.floor(minor / 1000).toLocaleString('en-US')}.${String(minor % 1000).padStart(3, '0')}`).sort();
  expect(shown).toEqual(exact);
  await page.getByTestId('volume-chart-table').locator('summary').click();

  // Top decline codes with their meaning, risk decisions.
  for (const [code, count] of Object.entries(want.declineCodes)) await expect(page.getByTestId(`decline-code-${code}`)).toHaveAttribute('data-count', String(count));
  await expect(page.getByTestId('decline-code-51')).toContainText('Insufficient funds');
  for (const [decision, count] of Object.entries(want.decisions)) await expect(page.getByTestId(`decisions-total-${decision}`)).toHaveAttribute('data-count', String(count));

  // The data table alternative holds the drawn rows.
  await page.getByTestId('rates-chart-table').locator('summary').click();
  await expect(page.getByTestId('rates-chart-table').locator('tbody tr')).toHaveCount(40);

  // Compare with yesterday: a ghost series of yesterday's window.
  await page.getByTestId('range-compare').selectOption('yesterday');
  const wantYesterday = expectedFigures(s.yesterday, 0, Number.MAX_SAFE_INTEGER);
  await expect.poll(() => attr(page, 'panel-rates', 'data-compare-attempts')).toBe(String(wantYesterday.authorized + wantYesterday.declined + wantYesterday.failed));
  await expect(page.getByTestId('panel-rates').locator('.legend')).toContainText('Approval rate per attempt (yesterday)');
  // Drawn dashed over today's window: yesterday's 40 minutes, moved forward a day.
  const ghostLine = page.getByTestId('rates-chart').locator('path[data-series="approvalGhost"]');
  await expect.poll(async () => ((await ghostLine.getAttribute('d')) ?? '').split(/[ML]/).filter(Boolean).length).toBe(40);
  await expect(ghostLine).toHaveAttribute('stroke-dasharray', '5 4');

  // The drawn line has a vertex for each row of the table; hovering names the series at that time.
  const approvalLine = page.getByTestId('rates-chart').locator('path[data-series="approval"]');
  await expect.poll(async () => ((await approvalLine.getAttribute('d')) ?? '').split(/[ML]/).filter(Boolean).length).toBe(40);
  const box = (await page.getByTestId('rates-chart').locator('svg').boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.5, y);
  await expect(page.getByTestId('rates-chart').locator('.chart-tooltip')).toContainText('Approval rate per attempt');
  // Focused, the arrow keys walk the rows from the first, as the data table lists them.
  await page.mouse.move(0, 0);
  await expect(page.getByTestId('rates-chart').locator('.chart-tooltip')).toHaveCount(0);
  const plot = page.getByTestId('rates-chart').getByRole('application');
  const tableTime = (i: number) => page.getByTestId('rates-chart-table').locator('tbody tr').nth(i).locator('th').textContent();
  await plot.focus();
  await plot.press('ArrowRight');
  await expect(page.getByTestId('rates-chart').locator('.chart-tooltip-time')).toHaveText((await tableTime(0))!);
  await plot.press('ArrowRight');
  await expect(page.getByTestId('rates-chart').locator('.chart-tooltip-time')).toHaveText((await tableTime(1))!);
  await plot.press('Escape');
  await expect(page.getByTestId('rates-chart').locator('.chart-tooltip')).toHaveCount(0);

  // Drag on the chart to zoom: a fixed range inside the one shown, about the dragged share of
  // it, and it says it stopped following.
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'true');
  const shownFrom = Number(await attr(page, 'range-charts', 'data-from'));
  const shownTo = Number(await attr(page, 'range-charts', 'data-to'));
  await page.mouse.move(box.x + box.width * 0.45, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 6 });
  await page.mouse.move(box.x + box.width * 0.75, y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'false');
  await expect(page.getByTestId('range-status')).toContainText('Stopped following now');
  await expect.poll(() => attr(page, 'range-charts', 'data-from')).not.toBe(String(shownFrom));
  const from = Number(await attr(page, 'range-charts', 'data-from'));
  const to = Number(await attr(page, 'range-charts', 'data-to'));
  expect(from).toBeGreaterThan(shownFrom);
  expect(to).toBeLessThan(shownTo);
  // 30 % of the SVG's width is a little more of the plot's (the axis takes the rest).
  expect((to - from) / (shownTo - shownFrom)).toBeGreaterThan(0.28);
  expect((to - from) / (shownTo - shownFrom)).toBeLessThan(0.4);
  // Screenshots of the dashboard in both themes at 1440x900 (copied to docs/ for the README).
  await page.getByTestId('range-follow').click();
  await page.getByTestId('range-compare').selectOption('none');
  await page.setViewportSize({ width: 1440, height: 900 });
  for (let pass = 0; pass < 2; pass++) {
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.screenshot({ path: `test-results/dashboard-${theme}-1440x900.png` });
    await page.keyboard.press('t');
  }
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'true');
  await expect.poll(async () => Number(await attr(page, 'range-charts', 'data-to')) - Number(await attr(page, 'range-charts', 'data-from'))).toBe(60 * MIN);
});

const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

test('a fixed past range shows late events stored into it after it was fixed', async ({ consolePage: page, served }) => {
  const end = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
  const early = trafficBetween(end - 40 * MIN, end - 20 * MIN, 3, 21);
  await publish(served.exchange, early);
  await expect.poll(async () => Number((await page.getByTestId('totals-events').textContent())?.replace(/\D/g, ''))).toBe(early.length);
  // A custom range an hour long that ended 30 minutes ago: fixed, no longer following.
  await page.getByTestId('range-custom').click();
  const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * MIN).toISOString().slice(0, 16);
  await page.getByTestId('range-custom-from').fill(local(end - 60 * MIN));
  await page.getByTestId('range-custom-to').fill(local(end));
  await page.getByTestId('range-custom-form').getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'false');
  const before = expectedFigures(early, 0, Number.MAX_SAFE_INTEGER);
  await expect.poll(() => attr(page, 'panel-rates', 'data-attempts')).toBe(String(before.authorized + before.declined + before.failed));
  // Late events (a drained backlog) stored into the shown range's minutes: the figures follow.
  const late = trafficBetween(end - 15 * MIN, end - 5 * MIN, 4, 22);
  await publish(served.exchange, late);
  const after = expectedFigures([...early, ...late], 0, Number.MAX_SAFE_INTEGER);
  await expect.poll(() => attr(page, 'panel-rates', 'data-attempts'), { timeout: 30_000 }).toBe(String(after.authorized + after.declined + after.failed));
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'false');
});

test('three viewport sizes: no horizontal scroll on any view, key columns kept', async ({ consolePage: page, served }) => {
  await publish(served.exchange, trafficBetween(Date.now() - 10 * MIN, Date.now() - MIN, 5, 3).map((e) => ({ ...e, declineCode: e.declineCode })));
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    for (const view of ['dashboard', 'alerts', 'explorer', 'replay', 'dead-letters', 'settings']) {
      await page.evaluate((v) => (window.location.hash = `#/${v}`), view);
      await expect(page.locator('main')).toBeVisible();
      if (view === 'dashboard') await expect(page.getByTestId('panel-rates')).toBeVisible();
      if (view === 'explorer') await expect(page.getByTestId('explorer-row').first()).toBeVisible();
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        // what sticks out, deepest first: names the culprit when this fails
        const out = Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.querySelector('*'))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`);
        return { by: document.documentElement.scrollWidth - width, out };
      });
      expect(overflow.by, `${view} at ${vp.width}x${vp.height} scrolls sideways: ${overflow.out.join(', ')}`).toBeLessThanOrEqual(0);
      if (view === 'explorer') {
        // Time names its zone: 'Time (UTC)'.
        for (const name of [/^Time \(.+\)$/, 'Type', 'Amount', 'Country', 'Decline / risk']) {
          await expect(page.getByRole('columnheader', { name, exact: true }), `${name} at ${vp.width}`).toBeVisible();
        }
        const row = page.getByTestId('explorer-row').first();
        const rowBox = (await row.boundingBox())!;
        const cells = row.getByRole('gridcell');
        for (let i = 0; i < (await cells.count()); i++) {
          const c = await cells.nth(i).boundingBox();
          if (c) expect(c.x + c.width, `cell ${i} inside the row at ${vp.width}`).toBeLessThanOrEqual(rowBox.x + rowBox.width + 1);
        }
      }
    }
  }
});

test('data we did not shape: a 200-character decline code, KWD, JPY and a huge amount keep the dashboard inside the window', async ({ consolePage: page, served }) => {
  const at = Math.floor(Date.now() / MIN) * MIN - 2 * MIN;
  const longCode = `E${'9'.repeat(99)}${'Ж'.repeat(100)}`;
  await publish(served.exchange, [
    { type: 'payment.declined', timeMs: at + 1000, amount: 1, currency: 'KWD', latencyMs: 40, declineCode: longCode },
    { type: 'payment.declined', timeMs: at + 2000, amount: 1, currency: 'KWD', latencyMs: 40, declineCode: longCode },
    { type: 'payment.authorized', timeMs: at + 3000, amount: 125, currency: 'KWD', latencyMs: 40 },
    { type: 'payment.authorized', timeMs: at + 4000, amount: Number.MAX_SAFE_INTEGER, currency: 'JPY', latencyMs: 40 },
  ]);
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.evaluate(() => (window.location.hash = '#/dashboard'));
  await expect(page.getByTestId(`decline-code-${longCode}`)).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('volume-row-KWD')).toContainText('0.125 KWD');
  await expect(page.getByTestId('volume-row-JPY')).toContainText('9,007,199,254,740,991 JPY');
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.querySelector('*'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`);
    return { by: document.documentElement.scrollWidth - width, out };
  });
  expect(overflow.by, `the dashboard scrolls sideways: ${overflow.out.join(', ')}`).toBeLessThanOrEqual(0);
  // the code's panel keeps its table inside it
  const panel = (await page.getByTestId('panel-decline-codes').boundingBox())!;
  const row = (await page.getByTestId(`decline-code-${longCode}`).boundingBox())!;
  expect(row.x + row.width).toBeLessThanOrEqual(panel.x + panel.width + 1);
});

test('the Authorized / min tile keeps a huge minute of money inside it (shortened, the whole amount in its title)', async ({ consolePage: page, served }) => {
  const at = Date.now() - 2000;
  await publish(served.exchange, [
    ...Array.from({ length: 3 }, (_, i): KitEvent => ({ type: 'payment.authorized', timeMs: at + i, amount: 1_000_000_000_000, currency: 'KRW', latencyMs: 40 })),
    { type: 'payment.authorized', timeMs: at + 5, amount: 125, currency: 'KWD', latencyMs: 40 },
  ]);
  await page.setViewportSize({ width: 1024, height: 700 });
  const tile = page.getByTestId('kpi-authorized-volume');
  await expect(tile).toHaveAttribute('data-value', '3000000000000');
  await expect(page.getByTestId('kpi-authorized-volume-value')).toHaveText('3T');
  await expect(tile).toHaveAttribute('title', '3,000,000,000,000 KRW');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = (await tile.boundingBox())!;
  const value = (await page.getByTestId('kpi-authorized-volume-value').boundingBox())!;
  expect(value.x + value.width).toBeLessThanOrEqual(box.x + box.width);
});

test('keyboard: ? help, views, ranges, pause, and arrow keys through explorer rows', async ({ consolePage: page, served }) => {
  await publish(served.exchange, trafficBetween(Date.now() - 5 * MIN, Date.now() - MIN, 4, 5));
  await expect(page.getByTestId('panel-rates')).toBeVisible();
  await page.locator('body').press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Pause or resume');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('Shift+Digit2');
  await expect(page.getByTestId('range-1h')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('c');
  await expect(page.getByTestId('range-compare')).toHaveValue('yesterday');
  await page.keyboard.press('p');
  await expect(page.getByTestId('range-status')).toContainText('Paused');
  await page.keyboard.press('p');
  await expect(page.getByTestId('range-status')).toContainText('Live');

  // Zoom out, move back, zoom in: a fixed range that stopped following, around the same centre.
  const span = async () => {
    const from = Number(await attr(page, 'range-charts', 'data-from'));
    const to = Number(await attr(page, 'range-charts', 'data-to'));
    return { from, to, length: to - from };
  };
  await expect.poll(async () => (await span()).length).toBe(60 * MIN);
  await page.keyboard.press('-');
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'false');
  await expect.poll(async () => (await span()).length).toBe(120 * MIN);
  const zoomedOut = await span();
  expect(zoomedOut.to).toBeLessThanOrEqual(Date.now() + MIN); // never past the current minute
  await page.keyboard.press('[');
  await expect.poll(async () => (await span()).to).toBe(zoomedOut.to - 60 * MIN);
  await page.keyboard.press('+');
  await expect.poll(async () => (await span()).length).toBe(60 * MIN);
  expect((await span()).from).toBe(zoomedOut.from - 60 * MIN + 30 * MIN);
  await page.keyboard.press('l');
  await expect(page.getByTestId('range-status')).toHaveAttribute('data-following', 'true');

  await page.keyboard.press('3');
  await expect(page).toHaveURL(/#\/explorer/);
  const rows = page.getByTestId('explorer-row');
  await expect(rows.nth(2)).toBeVisible();
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-testid="explorer-row"][aria-rowindex="3"]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-testid="explorer-row"][aria-rowindex="4"]')).toBeFocused();
  await expect(page.locator('[data-testid="explorer-row"][aria-rowindex="4"]')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('[data-testid="explorer-row"][aria-rowindex="3"]')).toBeFocused();

  await page.keyboard.press('1');
  await expect(page).toHaveURL(/#\/dashboard/);
});

test('axe-core: no serious or critical accessibility violation on any view, in both themes', async ({ consolePage: page, served }) => {
  test.setTimeout(300_000);
  await publish(served.exchange, trafficBetween(Date.now() - 5 * MIN, Date.now() - MIN, 4, 9));
  await expect(page.getByTestId('panel-rates')).toBeVisible();
  for (let pass = 0; pass < 2; pass++) {
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    for (const view of ['dashboard', 'alerts', 'explorer', 'replay', 'dead-letters', 'settings', 'help']) {
      if (view === 'help') {
        await page.evaluate(() => (window.location.hash = '#/dashboard'));
        await page.locator('body').press('?');
        await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      } else {
        await page.evaluate((v) => (window.location.hash = `#/${v}`), view);
        await expect(page.locator('main')).toBeVisible();
      }
      if (view === 'dashboard') await expect(page.getByTestId('panel-latency')).toBeVisible();
      const result = await new AxeBuilder({ page }).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${theme} ${view}: ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.failureSummary?.slice(0, 120) ?? ''}`).join(' | ')}`)).toEqual([]);
      if (view === 'help') await page.keyboard.press('Escape');
    }
    await page.keyboard.press('t');
  }
});
