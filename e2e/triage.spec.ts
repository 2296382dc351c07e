// Triage end to end, in Debian's Chromium through `payops serve` against the real broker: the
// simulator's issuer-outage scenario fires the issuer-down alert for issuer tamarind-card;
// "Explain" on it opens the triage view naming the issuer and its BIN as the top contributor;
// one click on that row opens the explorer filtered to the issuer and its BIN over the window
// (every row shown has both); the health board is on the same view (its verdicts are tested on real SQLite in
// electron/core/triage/triageSql.test.ts). (Rules: e2e/fixtures/issuer-rules.yaml, the default
// issuer-down rule with short windows.)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const RULES = path.resolve(__dirname, 'fixtures', 'issuer-rules.yaml');

function simulate(exchange: string): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [BIN, 'simulate', '--amqp', AMQP_URL, '--exchange', exchange, '--scenario', 'issuer-outage', '--rate', '300', '--for', '130', '--anomaly-after', '90', '--anomaly-for', '40', '--seed', '13'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(code) : reject(new Error(`simulate exited ${code}: ${err}`))));
  });
}

test('issuer-outage fires issuer-down; Explain names the issuer and its BIN first; one click opens their payments; the health board is shown @long', async ({ page }) => {
  test.setTimeout(240_000);
  const served = await startConsole(['--rules', RULES]);
  try {
    await page.goto(served.url);
    await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
    await page.getByRole('link', { name: /^Alerts/ }).first().click();
    const run = simulate(served.exchange);
    const row = page.locator('[data-testid="alert-row"][data-rule="issuer-down"]').first();
    await expect(row).toHaveAttribute('data-state', 'firing', { timeout: 150_000 });
    await expect(row.getByTestId('alert-labels')).toHaveText(/issuer=tamarind-card/);

    await row.getByTestId('alert-explain').click();
    await expect(page.getByTestId('triage-view')).toBeVisible();
    await expect(page.getByTestId('triage-headline')).toHaveText(/issuer tamarind-card \(BIN 529412\) approval/, { timeout: 30_000 });
    const first = page.getByTestId('triage-contributor').first();
    await expect(first).toHaveAttribute('data-dimension', 'issuer');
    await expect(first).toHaveAttribute('data-value', 'tamarind-card');
    await expect(page.getByTestId('triage-contributor').nth(1)).toHaveAttribute('data-value', '529412');
    await expect(page.getByTestId('triage-codes')).toContainText('91');
    await page.screenshot({ path: 'test-results/triage-explain.png', fullPage: true });
    await expect(page.getByTestId('health-board')).toBeVisible();

    await first.getByTestId('triage-open-explorer').click();
    await expect(page.locator('[data-testid="explorer-chip"][data-chip="issuer"]')).toHaveText(/issuer tamarind-card/);
    await expect(page.locator('[data-testid="explorer-chip"][data-chip="cardBin"]')).toHaveText(/BIN 529412/);
    const rows = page.getByTestId('explorer-row');
    await expect(rows.first()).toBeVisible();
    const shown = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-issuer'), e.getAttribute('data-bin')]));
    expect(shown.length).toBeGreaterThan(0);
    for (const [issuer, bin] of shown) {
      expect(issuer).toBe('tamarind-card');
      expect(bin?.startsWith('529412')).toBe(true);
    }
    await page.goBack();
    await expect(page.getByTestId('triage-headline')).toHaveText(/issuer tamarind-card/);
    await run;
  } finally {
    await served.stop();
  }
});
