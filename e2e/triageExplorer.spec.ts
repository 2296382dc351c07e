// From a chart range to an explanation to the payments, in Debian's Chromium through `payops
// serve`: the console opens a database seeded with the simulator's issuer-outage scenario
// (stored through the real decoder and writer, test/support/triageTestKit.ts; no broker run, so
// it stays short). The dashboard's range set on the outage offers "Explain this range"; the
// explanation names issuer tamarind-card first; its "Payments" opens the explorer
// filtered to the issuer and its BIN over the window, every row shown has them, a chip removes
// one condition, and Back returns to the explanation. (The broker-driven run from a fired alert
// is e2e/triage.spec.ts, @long.)
import path from 'node:path';
import { storeScenario } from '../test/support/triageTestKit';
import { expect, startConsole, test } from './servedConsole';

test('Explain this range names the issuer; its contributor opens the explorer filtered to its issuer and BIN; Back returns', async ({ page }) => {
  test.setTimeout(60_000);
  let explained = { from: 0, to: 0 };
  const served = await startConsole([], {
    seed: async (dbFile) => {
      const s = await storeScenario(path.dirname(dbFile), 'issuer-outage', { file: dbFile, rate: 20 });
      explained = { from: s.fromMs, to: s.toMs };
      s.store.close();
    },
  });
  try {
    await page.goto(served.url);
    await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
    // A fixed range on the dashboard (the custom picker; a drag on a chart fixes one the same way).
    await page.getByTestId('range-custom').click();
    const local = await page.evaluate((w) => {
      const p = (n: number) => String(n).padStart(2, '0');
      const at = (ms: number) => {
        const d = new Date(ms);
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      };
      return { from: at(w.from), to: at(w.to) };
    }, explained);
    await page.getByTestId('range-custom-from').fill(local.from);
    await page.getByTestId('range-custom-to').fill(local.to);
    await page.getByTestId('range-custom-form').getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('panel-rates').getByTestId('explain-range').click();
    await expect(page).toHaveURL(new RegExp(`#/triage\\?from=${explained.from}&to=${explained.to}&metric=approval-rate`));
    await expect(page.getByTestId('triage-headline')).toHaveText(/issuer tamarind-card \(BIN 529412\) approval/);
    // The periods in the console's own time format (local, zone named), not the contract's ISO text.
    await expect(page.getByTestId('triage-periods')).toContainText(`Window ${local.from.replace('T', ' ')}:00 – `);
    await expect(page.getByTestId('triage-periods')).not.toContainText('.000Z');
    const first = page.getByTestId('triage-contributor').first();
    await expect(first).toHaveAttribute('data-value', 'tamarind-card');

    await first.getByTestId('triage-open-explorer').click();
    await expect(page.getByTestId('explorer-filters')).toBeVisible();
    const chips = page.getByTestId('explorer-chip');
    await expect(chips).toHaveCount(3);
    await expect(page.locator('[data-testid="explorer-chip"][data-chip="issuer"]')).toHaveText(/issuer tamarind-card/);
    await expect(page.locator('[data-testid="explorer-chip"][data-chip="cardBin"]')).toHaveText(/BIN 529412/);
    await expect(page.getByRole('textbox', { name: 'Issuer', exact: true })).toHaveValue('tamarind-card');
    const rows = page.getByTestId('explorer-row');
    await expect(rows.first()).toBeVisible();
    const shown = await rows.evaluateAll((els) => els.map((e) => ({ issuer: e.getAttribute('data-issuer'), bin: e.getAttribute('data-bin') })));
    expect(shown.length).toBeGreaterThan(10);
    for (const r of shown) {
      expect(r.issuer).toBe('tamarind-card');
      expect(r.bin?.startsWith('529412')).toBe(true);
    }

    await page.screenshot({ path: 'test-results/triage-explorer.png', fullPage: true });

    // A chip removes its own condition only.
    await page.locator('[data-testid="explorer-chip"][data-chip="cardBin"]').getByTestId('explorer-chip-remove').click();
    await expect(chips).toHaveCount(2);
    await expect(page).toHaveURL(/issuer=tamarind-card/);
    await expect(page).not.toHaveURL(/cardBin=/);

    // Back (twice: the chip's change, then the link) returns to the explanation.
    await page.goBack();
    await expect(chips).toHaveCount(3);
    await page.goBack();
    await expect(page.getByTestId('triage-headline')).toHaveText(/issuer tamarind-card/);
  } finally {
    await served.stop();
  }
});
