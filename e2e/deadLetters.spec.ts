// Issue 15's dead-letter view in Chromium, through `payops serve` against the real broker:
// messages dead-lettered by a real x-dead-letter-exchange are browsed (decoded, with their
// x-death), dry-run into the sandbox, redriven after a confirmation naming the count and the
// targets, and the audit log shows it; at 1024 px nothing scrolls sideways and axe finds no
// serious or critical violation in either theme.
import AxeBuilder from '@axe-core/playwright';
import { deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue } from '../test/support/deadLetterTopology';
import { expect, test } from './servedConsole';

test('dead letters: browse a real DLQ, dry run, redrive with confirmation, the audit row', async ({ consolePage: page }) => {
  const t = deadLetterTopology('e2edlq');
  await fillDeadLetterQueue(t, ['d1', 'd2'], ['d3']);
  try {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.evaluate(() => (window.location.hash = '#/dead-letters'));
    const queueRow = page.getByTestId(`dlq-queue-${t.dlq}`);
    await expect(queueRow).toContainText('x-dead-letter-exchange');
    await queueRow.getByRole('button', { name: `Browse ${t.dlq}` }).press('Enter');
    await expect(page.getByTestId('dlq-message')).toHaveCount(3);
    const d1 = page.locator('[data-testid="dlq-message"][data-id="d1"]');
    await expect(d1).toContainText('payment.authorized');
    await expect(d1).toContainText('p-d1');
    await expect(d1).toContainText('10.00 EUR');
    await expect(d1).toContainText(`rejected ×1 in ${t.rejectQueue}`);
    await expect(page.locator('[data-testid="dlq-message"][data-id="d3"]')).toContainText(`expired ×1 in ${t.expireQueue}`);

    await page.getByTestId('dlq-select-all').check();
    await page.getByTestId('dlq-dry-run').click();
    await expect(page.getByTestId('dlq-dry-stored')).toHaveText('3');
    await expect(page.getByTestId('dlq-dry-duplicates')).toHaveText('0');
    await expect(page.getByTestId('dlq-dry-quarantined')).toHaveText('0');
    expect(await depth(t.dlq)).toBe(3); // browsing and the dry run consumed nothing

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'the dead-letter view scrolls sideways at 1024 px').toBeLessThanOrEqual(0);
    for (let pass = 0; pass < 2; pass++) {
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      await page.screenshot({ path: `test-results/dead-letters-${theme}-1024.png`, fullPage: true });
      // The view alone (the header is walked by dashboardRange.spec.ts): this spec's budget is 30 s.
      const result = await new AxeBuilder({ page }).include('main').analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${theme}: ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
      await page.locator('body').press('t');
    }

    await page.getByTestId('dlq-redrive').press('Enter');
    const dialog = page.getByRole('dialog', { name: `Redrive 3 messages from ${t.dlq}?` });
    await expect(dialog.getByTestId('dlq-confirm-targets')).toContainText(`${t.exchange} / payment.authorized.d1 (1)`);
    await expect(dialog.getByTestId('dlq-confirm-targets')).toContainText(`${t.exchange} / late.d3 (1)`);
    await dialog.getByTestId('dlq-confirm-redrive').click();
    await expect(page.getByTestId('dead-letters-status')).toContainText('Redriven 3 messages');
    await expect(page.locator('[data-testid="dlq-audit-row"][data-step="removed"][data-message="d1"]')).toContainText(`${t.dlq} → ${t.exchange} / payment.authorized.d1`);
    expect(await depth(t.dlq)).toBe(0);
    expect((await drainIds(t.rejectQueue)).sort()).toEqual(['d1', 'd2']);
    expect(await drainIds(t.expireQueue)).toEqual(['d3']);
  } finally {
    await deleteDeadLetterTopology(t);
  }
});
