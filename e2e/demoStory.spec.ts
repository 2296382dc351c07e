// The demo tells its story, in Debian's Chromium through `payops serve --demo` (a fresh demo
// database, the default pack, the default speed a user gets): 30 s of normal traffic, a
// decline spike for a minute, then normal traffic again. The decline alert fires on screen
// within a couple of minutes, reads as a percentage, and resolves after the spike; nothing
// else critical fires, before, during or after.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const RULE = 'decline-rate-spike';

test('the demo, started fresh, shows decline-rate-spike firing and then resolving, with no other critical alert @long', async ({ page }) => {
  test.setTimeout(330_000);
  const served = await startConsole(['--demo']);
  try {
    await page.goto(served.url);
    await expect(page.getByTestId('demo-banner')).toBeVisible();
    await page.getByRole('link', { name: /^Alerts/ }).first().click();
    await expect(page.getByRole('tab', { name: 'Current' })).toHaveAttribute('aria-selected', 'true');

    const row = page.locator(`[data-testid="alert-row"][data-rule="${RULE}"]`).first();
    const otherCritical = page.locator(`[data-testid="alert-row"][data-severity="critical"]:not([data-rule="${RULE}"])`);

    // The spike starts 30 s in; the alert fires about a minute later.
    await expect(row).toHaveAttribute('data-state', 'firing', { timeout: 150_000 });
    await expect(row).toHaveAttribute('data-severity', 'critical');
    await expect(row.getByTestId('alert-value')).toHaveText(/^\d+(\.\d)? % per attempt$/);
    await expect(otherCritical).toHaveCount(0);
    await page.screenshot({ path: 'test-results/demo-story-firing.png', fullPage: true });

    // The spike ends 90 s in; the window drains and the alert resolves.
    await expect(row).toHaveAttribute('data-state', 'resolved', { timeout: 150_000 });
    await expect(otherCritical).toHaveCount(0);
    await page.screenshot({ path: 'test-results/demo-story-resolved.png', fullPage: true });

    // The demo database's history agrees: the decline alert fired once, nothing else critical did.
    const history = JSON.parse(execFileSync(process.execPath, [BIN, 'alerts', '--db', path.join(served.dir, 'demo.db'), '--json'], { encoding: 'utf8' })) as {
      rule: string;
      severity: string;
      firedAt: string | null;
    }[];
    const fired = history.filter((a) => a.firedAt !== null);
    expect(fired.filter((a) => a.rule === RULE)).toHaveLength(1);
    expect(fired.filter((a) => a.severity === 'critical' && a.rule !== RULE)).toEqual([]);
  } finally {
    await served.stop();
  }
});
