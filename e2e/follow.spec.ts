// A follower console in Debian's Chromium (issue 16): `payops serve --follow STREAM` shows the
// figures and the alerts of a collector (`payops collect --publish-metrics STREAM`) without
// receiving a single raw event: the dashboard moves, the collector's decline alert fires on
// the follower's screen, and the badge says "following <stream>".
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const RULES = path.resolve(__dirname, 'fixtures', 'decline-rules.yaml');
const RULE = 'decline-rate-high';

function payops(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', resolve));
}

test('a console following a metrics stream shows the collector\'s figures moving and its alert firing', async ({ page }) => {
  test.setTimeout(180_000);
  const id = randomUUID().slice(0, 8);
  const exchange = `t.e2e.follow.${id}.x`;
  const queue = `t.e2e.follow.${id}.q`;
  const stream = `t.e2e.follow.${id}.metrics`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payops-e2e-follow-'));
  const collector = payops(['collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'collector.db'), '--exchange', exchange, '--queue', queue, '--bind', '#', '--rules', RULES, '--publish-metrics', stream]);
  let collectorLog = '';
  collector.stderr!.on('data', (d) => (collectorLog += d));
  const follower = await startConsole(['--follow', stream]);
  let simulator: ChildProcess | null = null;
  try {
    await expect.poll(() => collectorLog, { timeout: 30_000 }).toContain('collecting from');
    await page.goto(follower.url);
    const badge = page.getByTestId('session-badge');
    await expect(badge).toHaveAttribute('data-status', 'following', { timeout: 30_000 });
    await expect(badge).toHaveText(`FOLLOWING ${stream}`);

    // 50 s at 300 events/s; declines spike from 5 s to 45 s (the rule: above 15 % over 20 s, pending 10 s).
    simulator = payops(['simulate', '--amqp', AMQP_URL, '--exchange', exchange, '--scenario', 'decline-spike', '--rate', '300', '--for', '50', '--anomaly-after', '5', '--anomaly-for', '40', '--seed', '7']);
    const total = () => page.getByTestId('totals-events').textContent().then((t) => Number((t ?? '').replace(/[^\d]/g, '')));
    await expect.poll(total, { timeout: 30_000 }).toBeGreaterThan(0);
    const first = await total();
    await expect.poll(total, { timeout: 30_000 }).toBeGreaterThan(first);
    await expect.poll(async () => Number(await page.getByTestId('kpi-events-per-second').getAttribute('data-value') || 0), { timeout: 30_000 }).toBeGreaterThan(0);

    await page.getByRole('link', { name: /^Alerts/ }).first().click();
    const row = page.locator(`[data-testid="alert-row"][data-rule="${RULE}"]`).first();
    await expect(row).toHaveAttribute('data-state', 'firing', { timeout: 90_000 });
    await expect(row).toHaveAttribute('data-severity', 'critical');
    await expect(badge).toHaveText(`FOLLOWING ${stream}`);
    await page.screenshot({ path: 'test-results/follow-alert-firing.png', fullPage: true });

    // The follower never declared a queue of raw events: its figures came from the stream alone.
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    const raw = await ch.checkQueue(follower.queue).then(() => true, () => false);
    await conn.close().catch(() => undefined);
    expect(raw).toBe(false);
  } finally {
    simulator?.kill('SIGTERM');
    collector.kill('SIGTERM');
    await exited(collector);
    await follower.stop();
    const conn = await amqp.connect(AMQP_URL);
    for (const q of [queue, stream]) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteQueue(q).catch(() => undefined);
    }
    const ch = await conn.createChannel();
    await ch.deleteExchange(exchange).catch(() => undefined);
    await conn.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
