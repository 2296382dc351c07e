// Alerts end to end, in Debian's Chromium through `payops serve` against the real broker:
// the simulator's decline-spike scenario fires the decline alert in the UI with a browser
// notification, an operator acknowledges and silences it, and it resolves (notified) after
// the spike; the normal scenario, run for the same time beside it, fires nothing. Then the
// rule editor: validation naming rule and field, a backtest over what just happened, a save.
//
// Why a rules file: the default pack's decline rule judges a baseline (a prior at first) and
// waits 30 s before firing; e2e/demoStory.spec.ts shows it on the demo. Here the
// fixture rule (e2e/fixtures/decline-rules.yaml) is a threshold on the same metric with
// short windows: above 15 % over 20 s, pending for 10 s, kept firing for 10 s, at least 50
// authorizations. Both consoles use it, so "normal fires nothing" is about the same rule.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { AMQP_URL, expect, startConsole, test, type ServedConsole } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const RULES = path.resolve(__dirname, 'fixtures', 'decline-rules.yaml');
const RULE = 'decline-rate-high';

/** `payops simulate` to the console's exchange: 70 s at 300/s, the incident from 10 s to 40 s. */
function simulate(exchange: string, scenario: 'decline-spike' | 'normal'): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [BIN, 'simulate', '--amqp', AMQP_URL, '--exchange', exchange, '--scenario', scenario, '--rate', '300', '--for', '70', '--anomaly-after', '10', '--anomaly-for', '30', '--seed', '7'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`simulate ${scenario} exited ${code}: ${err}`))));
  });
}

/** A context that may notify, recording every `new Notification(...)` the page makes. */
async function notifyingContext(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const w = window as unknown as { __notifications: { title: string; body: string }[]; Notification: typeof Notification };
    w.__notifications = [];
    const Real = w.Notification;
    function Recording(this: unknown, title: string, options?: NotificationOptions) {
      w.__notifications.push({ title, body: options?.body ?? '' });
      try {
        return new Real(title, options);
      } catch {
        return { close() {}, onclick: null };
      }
    }
    Object.defineProperty(Recording, 'permission', { get: () => (Real ? Real.permission : 'granted') });
    (Recording as unknown as { requestPermission: () => Promise<NotificationPermission> }).requestPermission = () =>
      Real ? Real.requestPermission() : Promise.resolve('granted');
    w.Notification = Recording as unknown as typeof Notification;
  });
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications);

async function openAlerts(page: Page, served: ServedConsole): Promise<void> {
  await page.goto(served.url);
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  await page.getByTestId('notify-toggle').click();
  await expect(page.getByTestId('notify-toggle')).toHaveText(/Notifications on/);
  await page.getByRole('link', { name: /^Alerts/ }).first().click();
  await expect(page.getByRole('tab', { name: 'Current' })).toHaveAttribute('aria-selected', 'true');
}

function alertsJson(dbFile: string): { rule: string; firedAt: string | null; resolvedAt: string | null; acknowledged: { note: string } | null; transitions: { state: string }[] }[] {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'alerts', '--db', dbFile, '--json'], { encoding: 'utf8' }));
}

// Minutes of real traffic (a spike console and a calm one side by side): under `npm run test:long`.
// `npm test` keeps a decline spike reaching the webhook and the Notifications tab
// (notifications.spec.ts) and the resolve path in the integration suites (notifyCollect).
test('decline-spike fires the decline alert and a notification, then resolves; normal traffic fires nothing @long', async ({ browser }) => {
  test.setTimeout(240_000);
  const spike = await startConsole(['--rules', RULES]);
  const normal = await startConsole(['--rules', RULES]);
  const spikeContext = await browser.newContext();
  const normalContext = await browser.newContext();
  try {
    await notifyingContext(spikeContext);
    await notifyingContext(normalContext);
    const page = await spikeContext.newPage();
    const quiet = await normalContext.newPage();
    await openAlerts(page, spike);
    await openAlerts(quiet, normal);

    const runs = Promise.all([simulate(spike.exchange, 'decline-spike'), simulate(normal.exchange, 'normal')]);
    const row = page.locator(`[data-testid="alert-row"][data-rule="${RULE}"]`).first();

    // Fires (after 10 s pending) during the spike, with a browser notification naming it.
    await expect(row).toHaveAttribute('data-state', 'firing', { timeout: 60_000 });
    await expect(row).toHaveAttribute('data-severity', 'critical');
    // A rate reads as a percentage, as the decline KPI beside it does (not a raw fraction "0.255"), per attempt as the rule judges it.
    await expect(row.getByTestId('alert-value')).toHaveText(/^\d+(\.\d)? % per attempt$/);
    // The rule's runbook beside it: a relative docs path, written as text (an http(s) one is a link).
    await expect(row.getByTestId('alert-runbook')).toHaveText('Runbook: electron/core/alerts/RULES.md#decline-rate-spike');
    await expect.poll(async () => (await notifications(page)).map((n) => n.title), { timeout: 10_000 }).toContain(`FIRING [critical] ${RULE}`);
    expect((await notifications(page))[0].body).toMatch(/decline rate/i);
    await page.screenshot({ path: 'test-results/alerts-firing.png', fullPage: true });

    // Acknowledge with a note.
    await row.getByRole('button', { name: `Acknowledge ${RULE}` }).click();
    const ack = page.getByRole('dialog', { name: `Acknowledge ${RULE}` });
    await ack.getByLabel('Note (optional)').fill('issuer outage, PSP informed');
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByTestId('alerts-status')).toHaveText(`Acknowledged ${RULE}.`);
    await expect(row.getByTestId('alert-acked')).toBeVisible();

    // Silence it: it keeps evaluating (still firing) and shows as silenced; then end the silence.
    await row.getByRole('button', { name: `Silence ${RULE}` }).click();
    const silence = page.getByRole('dialog', { name: `Silence ${RULE}` });
    await expect(silence.getByTestId('silence-preview')).toHaveText(new RegExp(`Mutes ${RULE}`));
    await silence.getByLabel('Comment').fill('e2e: muting while the PSP works on it');
    await silence.getByRole('button', { name: 'Silence' }).click();
    await expect(row.getByTestId('alert-silenced')).toBeVisible();
    await expect(row).toHaveAttribute('data-state', 'firing');
    await page.screenshot({ path: 'test-results/alerts-silenced.png', fullPage: true });
    await page.getByRole('tab', { name: 'Silences' }).click();
    // The button is named by the silence's short id, as its ID column shows it: never by its matchers (values from the events).
    const silenceId = (await page.getByTestId('silence-row').getByTestId('silence-id').textContent()) ?? '';
    expect(silenceId).toMatch(/^[0-9a-f]{8}$/);
    const end = page.getByTestId('silence-row').getByRole('button', { name: `End silence ${silenceId}`, exact: true });
    await expect(end).toHaveAccessibleName(`End silence ${silenceId}`);
    await end.click();
    await expect(page.getByTestId('silence-row')).toHaveAttribute('data-active', 'false');
    await page.getByRole('tab', { name: 'Current' }).click();
    await expect(row.getByTestId('alert-silenced')).toHaveCount(0);

    // Resolves after the spike (20 s window, then 10 s keep-firing), and says so.
    await expect(row).toHaveAttribute('data-state', 'resolved', { timeout: 90_000 });
    await expect.poll(async () => (await notifications(page)).map((n) => n.title), { timeout: 10_000 }).toContain(`RESOLVED [critical] ${RULE}`);
    expect((await notifications(page)).filter((n) => n.title.startsWith('FIRING'))).toHaveLength(1);
    await page.screenshot({ path: 'test-results/alerts-resolved.png', fullPage: true });

    await runs;
    // The normal run, as long and as fast, fired nothing: no rows, no notifications, no history.
    await expect(quiet.getByTestId('alerts-empty')).toBeVisible();
    expect(await notifications(quiet)).toEqual([]);
    expect(alertsJson(normal.dbFile)).toEqual([]);
    await quiet.screenshot({ path: 'test-results/alerts-normal-quiet.png', fullPage: true });

    const history = alertsJson(spike.dbFile);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ rule: RULE, acknowledged: { note: 'issuer outage, PSP informed' } });
    expect(history[0].resolvedAt).not.toBeNull();
    expect(history[0].transitions.map((t) => t.state)).toEqual(['pending', 'firing', 'resolved']);

    // History tab: the same alert, with the acknowledgement; add a resolve note.
    await page.getByRole('tab', { name: 'History' }).click();
    const hist = page.locator(`[data-testid="history-row"][data-rule="${RULE}"]`);
    await expect(hist).toHaveCount(1);
    await expect(hist.getByTestId('history-ack')).toContainText('issuer outage');
    // With the rule's condition in words and its own description, and its runbook.
    await expect(hist.getByTestId('history-description')).toContainText('More than 15 % of authorizations declined');
    await expect(hist.getByTestId('alert-runbook')).toHaveText('Runbook: electron/core/alerts/RULES.md#decline-rate-spike');
    await hist.getByRole('button', { name: `Resolve note for ${RULE}` }).click();
    await page.getByRole('dialog', { name: `Resolve note for ${RULE}` }).getByLabel('How it was resolved').fill('issuer BIN range rerouted');
    await page.getByRole('dialog', { name: `Resolve note for ${RULE}` }).getByRole('button', { name: 'Add note' }).click();
    await expect(hist.getByTestId('history-resolve-note')).toContainText('issuer BIN range rerouted');
    await page.screenshot({ path: 'test-results/alerts-history.png', fullPage: true });

    // Rule editor: problems name the rule and field as you type; a backtest over the last
    // hour finds the spike; a save applies the edited rules.
    await page.getByRole('tab', { name: 'Rules' }).click();
    const editor = page.getByRole('textbox', { name: 'Alert rules (YAML)' });
    await expect(editor).toHaveValue(/decline-rate-high/);
    await expect(page.getByTestId('rules-path')).toContainText('decline-rules.yaml');
    const original = await editor.inputValue();
    await editor.fill(original.replace('window: 20s', 'window: 20 parsecs').replace('severity: critical', 'severity: urgent'));
    await expect(page.getByTestId('rules-issue').filter({ hasText: `rule "${RULE}" (rules[0]) field window` })).toBeVisible();
    await expect(page.getByTestId('rules-issue').filter({ hasText: `rule "${RULE}" (rules[0]) field severity: must be critical, warning or info` })).toHaveAttribute('data-line', /\d+/);
    await expect(page.getByTestId('rules-save')).toBeDisabled();
    await page.screenshot({ path: 'test-results/rules-invalid.png', fullPage: true });
    await page.getByTestId('rules-revert').click();
    await expect(page.getByTestId('rules-valid')).toHaveText(/Valid: 1 rule/);
    await page.getByRole('button', { name: 'Backtest last 1 hour' }).click();
    await expect(page.getByTestId('backtest-summary')).toHaveAttribute('data-fired', '1');
    await expect(page.locator(`[data-testid="backtest-row"][data-rule="${RULE}"]`)).toHaveCount(1);
    await page.screenshot({ path: 'test-results/rules-backtest.png', fullPage: true });
    // (Saving is the next test's: this session's rules file is the shared fixture.)
  } finally {
    await spikeContext.close();
    await normalContext.close();
    await spike.stop();
    await normal.stop();
  }
});

test('saving rules in the editor writes the file and applies them at once', async ({ consolePage: page, served }) => {
  await page.getByRole('link', { name: /^Alerts/ }).first().click();
  await page.getByRole('tab', { name: 'Rules' }).click();
  const editor = page.getByRole('textbox', { name: 'Alert rules (YAML)' });
  await expect(editor).toHaveValue(/decline-rate-spike/);
  await expect(page.getByTestId('rules-path')).toContainText('built-in default pack');
  const text = (await editor.inputValue()).replace('minDelta: 5%', 'minDelta: 7%');
  await editor.fill(text);
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-save-status')).toContainText(`saved to ${path.join(served.dir, 'rules.yaml')}`);
  // As many rules as the saved file holds (the default pack, one threshold changed).
  const ruleCount = (text.match(/^  - name: /gm) ?? []).length;
  expect(ruleCount).toBeGreaterThan(5);
  await expect(page.getByTestId('rules-save-status')).toContainText(`evaluating ${ruleCount} rules now`);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Alert rules (YAML)' })).toHaveValue(/minDelta: 7%/);
  await expect(page.getByTestId('rules-path')).toContainText(path.join(served.dir, 'rules.yaml'));
  await page.screenshot({ path: 'test-results/rules-saved.png', fullPage: true });
});
