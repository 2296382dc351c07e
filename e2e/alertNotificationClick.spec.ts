// A browser notification's click opens its alert, in Debian's Chromium through `payops serve`
// against the real broker: a per-merchant rule fires for many merchants, the page is notified, and a click on one notification takes the operator to the Alerts view
// with that alert's row selected, scrolled into view and focused. Before, the click opened the
// Alerts view only. (The desktop app's click sends the same route through its 'menu' push:
// electron/main.test.ts, renderer/src/api/sync.test.ts.)
//
// The notification itself is the operating system's: the page's `new Notification(...)` is
// recorded (and made for real where Chromium can), and its onclick is called as the system would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');

// Any decline for a merchant over 5 s fires at once: within seconds, an alert per merchant.
const RULES = `version: 1
rules:
  - name: merchant-declines
    description: A merchant declined an authorization (e2e notification click test rule).
    severity: warning
    metric: decline_rate
    condition:
      above: 0%
    window: 5s
    groupBy: merchant
    minVolume: 1
    noDataState: normal
`;

type Recorded = { recordedTitle: string; recordedBody: string; onclick: ((this: unknown, ev: Event) => unknown) | null };

test('a click on an alert notification opens that alert, its row selected and in view', async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-notify-click-'));
  const rules = path.join(dir, 'rules.yaml');
  fs.writeFileSync(rules, RULES);
  const served = await startConsole(['--rules', rules]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const sim = { kill: () => {} } as { kill: () => void };
  try {
    await context.grantPermissions(['notifications']);
    await context.addInitScript(() => {
      const w = window as unknown as { __made: Recorded[]; Notification: typeof Notification };
      w.__made = [];
      const Real = w.Notification;
      function Recording(title: string, options?: NotificationOptions) {
        let made: object;
        try {
          made = new Real(title, options);
        } catch {
          made = { onclick: null, close() {} };
        }
        w.__made.push(Object.assign(made, { recordedTitle: title, recordedBody: options?.body ?? '' }) as Recorded);
        return made;
      }
      Object.defineProperty(Recording, 'permission', { get: () => 'granted' });
      (Recording as unknown as { requestPermission: () => Promise<string> }).requestPermission = () => Promise.resolve('granted');
      w.Notification = Recording as unknown as typeof Notification;
    });
    const page = await context.newPage();
    await page.goto(served.url);
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await page.getByTestId('notify-toggle').click();
    await expect(page.getByTestId('notify-toggle')).toHaveText(/Notifications on/);

    const child = spawn(process.execPath, [BIN, 'simulate', '--amqp', AMQP_URL, '--exchange', served.exchange, '--scenario', 'decline-spike', '--rate', '300', '--for', '60', '--anomaly-after', '1', '--anomaly-for', '50', '--seed', '7'], { stdio: 'ignore' });
    sim.kill = () => child.kill('SIGTERM');

    // Enough merchants firing that the list is longer than the window.
    const firing = () => page.evaluate(() => (window as unknown as { __made: Recorded[] }).__made.filter((n) => n.recordedTitle.startsWith('FIRING')).length);
    await expect.poll(firing, { timeout: 60_000 }).toBeGreaterThanOrEqual(15);
    // The alert drawn last in the Alerts view, far below its fold: its key and its labels.
    await page.getByRole('link', { name: /^Alerts/ }).first().click();
    await expect.poll(() => page.getByTestId('alert-row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(15);
    const last = page.getByTestId('alert-row').last();
    const lastKey = (await last.getAttribute('data-key'))!;
    const lastLabels = (await last.getByTestId('alert-labels').innerText()).trim();
    // Elsewhere (Settings: no alert list) when the notification is clicked.
    await page.getByRole('link', { name: /^Settings/ }).first().click();
    await expect(page.getByTestId('alert-row')).toHaveCount(0);

    // A click on that alert's notification (its body names its labels), as the system makes it.
    const clicked = await page.evaluate((labels) => {
      const w = window as unknown as { __made: Recorded[] };
      const n = w.__made.find((x) => x.recordedTitle.startsWith('FIRING') && x.recordedBody.replace(/[\u2068\u2069]/g, '').split('\n').includes(labels));
      if (!n?.onclick) return false;
      n.onclick.call(n, new Event('click'));
      return true;
    }, lastLabels);
    expect(clicked).toBe(true);
    await expect(page).toHaveURL(/#\/alerts\?alert=/);
    const row = page.locator('[data-testid="alert-row"][aria-current="true"]');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-key', lastKey);
    await expect(row).toBeInViewport();
    await expect(row).toBeFocused();
    await page.screenshot({ path: 'test-results/alert-opened-from-notification.png' });
  } finally {
    sim.kill();
    await context.close();
    await served.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
