// Contact point URLs set from the console, in Debian's Chromium through `payops serve --rules`:
// the Alerts view's Notifications tab lists the contact points that name a urlSecret with
// where each URL comes from, refuses a URL without its scheme on the field, sets one (shown
// as its scheme and host only), and clears it; the token is on no page and in no log line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, startConsole, test } from './servedConsole';

const TOKEN = 'T0001/B0002/secretTOKENxyz123';
const ENV_TOKEN = 'T0009/B0009/envTOKENabc987';
const RULES = `${fs.readFileSync(path.resolve(__dirname, 'fixtures', 'decline-rules.yaml'), 'utf8')}
contactPoints:
  - { name: oncall, type: webhook, urlSecret: oncall-hook }
  - { name: team-chat, type: slack, urlSecret: e2e-team-chat }
defaultPolicy: { contactPoint: oncall }
`;

test('an operator sets, sees and clears a contact point URL without it ever being shown', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-cpsecret-'));
  const rules = path.join(dir, 'rules.yaml');
  fs.writeFileSync(rules, RULES);
  process.env.PAYOPS_SECRET_E2E_TEAM_CHAT = `https://hooks.example.com/services/${ENV_TOKEN}`;
  const served = await startConsole(['--rules', rules]);
  try {
    await page.goto(`${served.url}#/alerts/notifications`);
    const oncall = page.locator('[data-testid="contact-point-secret"][data-contact-point="oncall"]');
    const chat = page.locator('[data-testid="contact-point-secret"][data-contact-point="team-chat"]');
    await expect(oncall.getByTestId('contact-point-secret-state')).toHaveText('not set: its notifications fail (set it here, or PAYOPS_SECRET_ONCALL_HOOK for headless runs)');
    await expect(chat.getByTestId('contact-point-secret-state')).toHaveText('from PAYOPS_SECRET_E2E_TEAM_CHAT: https://hooks.example.com/…');

    await oncall.getByTestId('contact-point-secret-edit').click();
    const input = page.getByTestId('contact-point-secret-url');
    await expect(input).toHaveAttribute('type', 'password');
    await expect(input).toBeFocused();
    await input.fill(`hooks.slack.com/services/${TOKEN}`);
    await page.getByTestId('contact-point-secret-save').click();
    await expect(page.getByTestId('contact-point-secret-error')).toHaveText('Must be an http(s) URL such as https://hooks.slack.com/services/…');

    await input.fill(`https://hooks.slack.com/services/${TOKEN}`);
    await page.getByTestId('contact-point-secret-save').click();
    await expect(page.getByTestId('contact-point-secret-status')).toHaveText('Saved the URL of oncall (https://hooks.slack.com/…).');
    await expect(oncall).toHaveAttribute('data-source', 'store');
    await expect(oncall.getByTestId('contact-point-secret-state')).toHaveText('set in the console: https://hooks.slack.com/…');
    await expect(page.getByTestId('contact-point-secret-form')).toHaveCount(0);

    // Kept by the host, not the page: a reload still says it is set.
    await page.reload();
    await expect(oncall).toHaveAttribute('data-source', 'store');
    for (const token of ['secretTOKEN', 'envTOKEN']) expect(await page.content()).not.toContain(token);

    await oncall.getByTestId('contact-point-secret-clear').click();
    await expect(page.getByTestId('contact-point-secret-status')).toContainText('Cleared the URL of oncall');
    await expect(oncall).toHaveAttribute('data-source', 'none');
    for (const token of ['secretTOKEN', 'envTOKEN']) {
      expect(await page.content()).not.toContain(token);
      expect(served.log()).not.toContain(token);
    }
    expect(served.log()).toContain('contact point "oncall": its URL (secret "oncall-hook") was set in the console');
  } finally {
    delete process.env.PAYOPS_SECRET_E2E_TEAM_CHAT;
    await served.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
