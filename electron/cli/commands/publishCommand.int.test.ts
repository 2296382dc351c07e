// `payops publish` guards and delivery, against the real broker with unique exchanges.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatRecordedLine } from '../../core/capture/captureLine';
import { publishCapture, PublishRefusedError, type PublishPlan } from '../../core/replay/capturePublisher';
import { captureLines, writeCapture } from '../../../test/support/replayTestKit';
import { AMQP_URL, deleteTopology, prepareQueue, uniqueTopology } from '../../../test/support/broker';
import { PAYOPS_BIN, lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-publish-');
const t = uniqueTopology('publish');
afterAll(() => deleteTopology(t));

// 30 valid events + a duplicate + a non-JSON line (unreadable) + an unknown type + a recorded
// line with headers + a recorded quarantined body + a late duplicate: 34 publishable, 1 quarantined, 1 unreadable.
const lines = captureLines(30, 10);
const capture = writeCapture(path.join(dir, 'cap.ndjson'), lines);

async function queueCount(): Promise<number> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    return (await ch.checkQueue(t.queue)).messageCount;
  } finally {
    await conn.close();
  }
}

async function drainQueue(): Promise<amqp.GetMessage[]> {
  const conn = await amqp.connect(AMQP_URL);
  const out: amqp.GetMessage[] = [];
  try {
    const ch = await conn.createChannel();
    for (;;) {
      const m = await ch.get(t.queue, { noAck: true });
      if (!m) break;
      out.push(m);
    }
  } finally {
    await conn.close();
  }
  return out;
}

describe('payops publish guards', () => {
  it('read-only mode refuses (env or flag) before anything else', async () => {
    await prepareQueue(t, ['#']);
    const env = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', t.exchange, '--yes'], { PAYOPS_READ_ONLY: '1' });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/re-publish is disabled: payops is in read-only mode/);
    const flag = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', t.exchange, '--yes', '--read-only']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/read-only mode/);
    expect(await queueCount()).toBe(0);
  });

  it('requires an explicit exchange and refuses the live source exchange unless allowed', async () => {
    const none = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--yes']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/--exchange/);
    const live = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', 'payments', '--yes']);
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/refusing to publish to "payments": it is the live source exchange.*--allow-live-exchange/);
  });

  it('without a terminal and without --yes it refuses, showing the count and target', async () => {
    const r = await runPayops(['publish', capture, '--amqp', 'amqp://guest:guest@127.0.0.1:5672', '--exchange', t.exchange]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`refusing without confirmation .*pass --yes.*publish 34 messages from .*cap\\.ndjson to exchange "${t.exchange.replace(/\./g, '\\.')}" on amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:5672`));
    expect(r.stderr).toMatch(/1 quarantined line left out.*1 unreadable line skipped/);
    expect(r.stderr).not.toContain('guest:guest');
    expect(await queueCount()).toBe(0);
  });

  // A real terminal (util-linux `script` gives the command a pty): the operator is asked.
  it.skipIf(!fs.existsSync('/usr/bin/script'))('on a terminal it asks with the count and target; only "y" publishes', async () => {
    const ask = (answer: string) =>
      spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${PAYOPS_BIN} publish ${capture} --amqp ${AMQP_URL} --exchange ${t.exchange}`, '/dev/null'], {
        input: `${answer}\n`,
        encoding: 'utf8',
        timeout: 30_000,
      });
    const no = ask('n');
    expect(no.stdout).toMatch(/Publish 34 messages from .*cap\.ndjson to exchange "t\.publish\.[^"]+" on amqp:\/\/guest:\*\*\*@127\.0\.0\.1:5672.*\?\s+Type y to publish:/s);
    expect(no.stdout).toMatch(/not confirmed: nothing published/);
    expect(no.status).toBe(1);
    expect(await queueCount()).toBe(0);
    const yes = ask('y');
    expect(yes.status).toBe(0);
    expect(yes.stdout).toMatch(/published 34 messages \(confirmed by the broker\)/);
    expect(await drainQueue()).toHaveLength(34);
  });

  it('a missing exchange is a clear error', async () => {
    const r = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', `${t.exchange}.nope`, '--yes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/exchange ".*\.nope" does not exist/);
  });

  it('the confirmation callback sees count and target; declining sends nothing', async () => {
    let seen: PublishPlan | null = null;
    await expect(
      publishCapture({ file: capture, url: AMQP_URL, exchange: t.exchange, confirm: (plan) => ((seen = plan), false) }),
    ).rejects.toBeInstanceOf(PublishRefusedError);
    expect(seen).toMatchObject({ count: 34, skippedQuarantined: 1, badLines: 1, target: { exchange: t.exchange, url: 'amqp://guest:***@127.0.0.1:5672' } });
    expect(await queueCount()).toBe(0);
  });
});

describe('payops publish delivery', () => {
  it('publishes with confirms, keeps routing keys and headers, leaves quarantined lines out, honours --rate', async () => {
    const t0 = Date.now();
    const r = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', t.exchange, '--yes', '--rate', '40', '--json']);
    const elapsed = Date.now() - t0;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/confirmed by --yes: publish 34 messages/);
    expect(lastJson(r.stdout)).toMatchObject({ published: 34, count: 34, nacked: 0, unroutable: 0, confirms: true, skippedQuarantined: 1, badLines: 1 });
    expect(elapsed).toBeGreaterThan(500); // 34 at 40/s, after a half-second burst allowance
    const got = await drainQueue();
    expect(got).toHaveLength(34);
    const withHeader = got.find((m) => m.properties.headers?.['x-trace'] === 'abc');
    expect(withHeader).toBeDefined();
    const bodies = got.map((m) => JSON.parse(m.content.toString()) as { type: string; id: string });
    for (let i = 0; i < got.length; i++) expect(got[i].fields.routingKey).toBe(bodies[i].type);
    expect(got.every((m) => m.properties.deliveryMode === 2)).toBe(true);
  });

  it('--include-quarantined also sends the quarantined body; unroutable messages are counted', async () => {
    const r = await runPayops(['publish', capture, '--amqp', AMQP_URL, '--exchange', t.exchange, '--yes', '--include-quarantined', '--json']);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ published: 35, count: 35, skippedQuarantined: 0 });
    const got = await drainQueue();
    expect(got.map((m) => m.content.toString())).toContain('{"half":');

    const lonely = path.join(dir, 'lonely.ndjson');
    writeCapture(lonely, [
      formatRecordedLine({ body: Buffer.from(lines[0]), arrivalMs: 1, routingKey: 'nobody.listens', headers: null, contentType: null }),
    ]);
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    const ex = `${t.exchange}.direct`;
    await ch.assertExchange(ex, 'direct', { durable: false, autoDelete: false });
    await conn.close();
    const u = await runPayops(['publish', lonely, '--amqp', AMQP_URL, '--exchange', ex, '--yes', '--json']);
    const c2 = await amqp.connect(AMQP_URL);
    await (await c2.createChannel()).deleteExchange(ex);
    await c2.close();
    expect(u.code).toBe(0);
    expect(lastJson(u.stdout)).toMatchObject({ published: 1, unroutable: 1 });
  });
});
