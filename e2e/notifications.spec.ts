// Contact points end to end, in Debian's Chromium through `payops serve --rules`: the
// simulator's decline spike fires the rule, the console delivers an Alertmanager v4 message
// to a real HTTP receiver on loopback (URL from PAYOPS_SECRET_E2E_HOOK), and the Alerts
// view's Notifications tab shows the delivery, never the URL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReceiver } from '../test/support/httpReceiver';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const TOKEN = 'T0001/B0002/XyZ123secretTOKEN456';

const RULES = `${fs.readFileSync(path.resolve(__dirname, 'fixtures', 'decline-rules.yaml'), 'utf8')}
contactPoints:
  - { name: e2e-hook, type: webhook, urlSecret: e2e-hook, maxAttempts: 2 }
defaultPolicy: { contactPoint: e2e-hook, groupBy: [alertname], groupWait: 1s, groupInterval: 5s }
`;

test('a decline spike reaches the webhook receiver and the Notifications tab shows it', async ({ page }) => {
  test.setTimeout(150_000);
  const receiver = await startReceiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-notify-'));
  const rules = path.join(dir, 'rules.yaml');
  fs.writeFileSync(rules, RULES);
  process.env.PAYOPS_SECRET_E2E_HOOK = `${receiver.url}/services/${TOKEN}`;
  const served = await startConsole(['--rules', rules]);
  try {
    await page.goto(served.url);
    const sim = spawn(
      process.execPath,
      [BIN, 'simulate', '--amqp', AMQP_URL, '--exchange', served.exchange, '--scenario', 'decline-spike', '--rate', '300', '--for', '45', '--anomaly-after', '5', '--anomaly-for', '30', '--seed', '7'],
      { stdio: 'ignore' },
    );
    await expect.poll(() => receiver.requests.length, { timeout: 90_000 }).toBeGreaterThan(0);
    const first = receiver.requests[0];
    expect(first.path).toBe(`/services/${TOKEN}`);
    expect(first.body).toMatchObject({ version: '4', status: 'firing', receiver: 'e2e-hook', groupLabels: { alertname: 'decline-rate-high' } });

    await page.goto(`${served.url}#/alerts/notifications`);
    const row = page.getByTestId('notification-row').first();
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('notifications-table')).toContainText('e2e-hook');
    await expect(page.getByTestId('notifications-table')).toContainText('sent');
    await expect(page.getByTestId('notifications-table')).toContainText('decline-rate-high');
    expect(await page.content()).not.toContain('secretTOKEN');
    sim.kill('SIGTERM');
  } finally {
    await served.stop();
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
