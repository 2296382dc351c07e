// `payops replay --from-stream` as an operator runs it (the built CLI: `npx tsc -p tsconfig.json`
// first), against the real broker's stream queues. Apart from replayCommand.int.test.ts so that
// its waits (quiet times, stalls, a broker that stops answering) run beside the other files.
import path from 'node:path';
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../../test/support/cli';
import { collectOutput, storedCount } from '../../../test/support/faultKit';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcpProxy';
import { waitFor } from '../../../test/support/waitFor';
import { paymentEvent, riskEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-replay-stream-cli-');
const db = (name: string) => path.join(dir, `${name}.db`);

/** A stream queue of the test's own: `publish(n)` appends payments to it, `remove()` deletes it. */
async function ownStream(name: string): Promise<{ publish(n: number): Promise<void>; remove(): Promise<void> }> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  return {
    async publish(n) {
      for (let i = 0; i < n; i++) ch.sendToQueue(name, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
      await ch.waitForConfirms();
    },
    async remove() {
      await ch.deleteQueue(name);
      await conn.close();
    },
  };
}

/** The broker's URL through `proxy`. */
function viaProxy(proxy: TcpProxy): string {
  const url = new URL(AMQP_URL);
  url.port = String(proxy.port);
  return url.toString();
}

describe('payops replay --from-stream', () => {
  const queue = `t.replay-stream.${Date.now()}.${process.pid}`;
  afterAll(async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.deleteQueue(queue).catch(() => undefined);
    await conn.close();
  });

  async function publishToStream(events: { type: string }[]): Promise<void> {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    for (const e of events) ch.sendToQueue(queue, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json', persistent: true });
    await ch.waitForConfirms();
    await conn.close();
  }

  it('replays from offset first, and from a timestamp (only what came after it)', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    await conn.close();
    const early = Array.from({ length: 30 }, () => paymentEvent('payment.authorized'));
    await publishToStream(early);
    await new Promise((r) => setTimeout(r, 2100)); // stream timestamps have second precision
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    const late = Array.from({ length: 20 }, () => riskEvent('risk.scored'));
    await publishToStream(late);

    const all = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', db('stream-first'), '--drain', '--json']);
    expect(all.code).toBe(0);
    expect(lastJson(all.stdout)).toMatchObject({ events: 50, duplicates: 0, quarantined: 0, stoppedBecause: 'drained' });

    const fromTime = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', since, '--db', db('stream-time'), '--drain', '--json']);
    expect(fromTime.code).toBe(0);
    const s = lastJson<{ events: number; byType: Record<string, number> }>(fromTime.stdout);
    expect(s.byType).toEqual({ 'risk.scored': 20 });

    const fromOffset = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', '40', '--db', db('stream-40'), '--for', '2', '--json']);
    expect(fromOffset.code).toBe(0);
    expect(lastJson(fromOffset.stdout)).toMatchObject({ events: 10 });
    // The old name still works, with a deprecation line.
    const oldName = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--offset', '40', '--db', db('stream-40-old'), '--for', '2', '--json']);
    expect(oldName.code).toBe(0);
    expect(lastJson(oldName.stdout)).toMatchObject({ events: 10, offset: '40' });
    expect(oldName.stderr).toMatch(/--offset is deprecated: use --stream-offset/);
  });

  it('commits within the broker credit: a batch larger than the prefetch does not wait for its timer', async () => {
    // 10 messages in flight at most and a flush timer of 10 minutes: a batch of 1000 would
    // never fill (nothing more comes until it is acknowledged), so without the cap at half
    // the prefetch the replay stalls until the timer and never drains in the test's time.
    const own = `${queue}.credit`;
    const stream = await ownStream(own);
    await stream.publish(25);
    const r = await runPayops(['replay', '--from-stream', own, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', db('stream-credit'),
      '--prefetch', '10', '--batch-size', '1000', '--flush-ms', '600000', '--drain', '--json']);
    await stream.remove();
    expect(r.code).toBe(0);
    const s = lastJson<{ events: number; stoppedBecause: string; ingest: { acknowledged: number } }>(r.stdout);
    expect(s.stoppedBecause).toBe('drained');
    expect(s.events).toBe(25);
    expect(s.ingest.acknowledged).toBe(s.events);
  });

  it('--drain counts quiet time only while consuming: a connection lost for longer than --idle-ms does not end it', async () => {
    const own = `${queue}.lost-connection`;
    const stream = await ownStream(own);
    await stream.publish(40);
    const proxy = await startTcpProxy();
    const dbFile = db('stream-lost-connection');
    try {
      const idleMs = 1500;
      const child = startPayops(['replay', '--from-stream', own, '--amqp', viaProxy(proxy), '--stream-offset', 'first', '--db', dbFile, '--drain', '--idle-ms', String(idleMs), '--json']);
      const out = collectOutput(child);
      await waitFor(() => storedCount(dbFile) === 40 || child.exitCode !== null, 'the first 40 events stored', 30_000);
      proxy.cut();
      const cutAt = Date.now();
      // Cut for well over the quiet time while more arrives on the stream: the replay must still be running.
      await stream.publish(20);
      await waitFor(() => Date.now() - cutAt > 3 * idleMs || child.exitCode !== null, 'the outage to outlast --idle-ms', 20_000);
      expect(child.exitCode, out.stdout()).toBeNull();
      proxy.restore();
      expect(await out.exit).toBe(0);
      expect(lastJson(out.stdout())).toMatchObject({ events: 60, duplicates: 0, stoppedBecause: 'drained' });
    } finally {
      await proxy.close();
      await stream.remove();
    }
  });

  it('--drain reads to the end the stream had at the start: deliveries stalled for longer than --idle-ms do not end it', async () => {
    const own = `${queue}.stalled`;
    const stream = await ownStream(own);
    const total = 2000;
    await stream.publish(total);
    const proxy = await startTcpProxy();
    const dbFile = db('stream-stalled');
    try {
      const idleMs = 1000;
      // A small prefetch: the stream arrives in many deliveries, so the stall lands mid-stream.
      const child = startPayops(['replay', '--from-stream', own, '--amqp', viaProxy(proxy), '--stream-offset', 'first', '--db', dbFile, '--prefetch', '10', '--drain', '--idle-ms', String(idleMs), '--json']);
      const out = collectOutput(child);
      await waitFor(() => storedCount(dbFile) >= 100 || child.exitCode !== null, 'the first 100 events stored', 30_000);
      // The broker's deliveries stop with the connection open: a stall, not an outage.
      proxy.hold();
      const heldAt = Date.now();
      await waitFor(() => /is not stored yet; waiting for it/.test(out.stderr()) || child.exitCode !== null, 'the drain to see the quiet', 20_000);
      await waitFor(() => Date.now() - heldAt > 3 * idleMs || child.exitCode !== null, 'the stall to outlast --idle-ms', 20_000);
      expect(child.exitCode, out.stdout()).toBeNull();
      expect(storedCount(dbFile)).toBeLessThan(total);
      proxy.release();
      expect(await out.exit).toBe(0);
      expect(lastJson(out.stdout())).toMatchObject({ events: total, duplicates: 0, stoppedBecause: 'drained' });
    } finally {
      await proxy.close();
      await stream.remove();
    }
  });

  it('stops on SIGTERM while the broker stalls; the next run resumes exactly after what was stored', async () => {
    const own = `${queue}.stalled-stop`;
    const stream = await ownStream(own);
    const total = 2000;
    await stream.publish(total);
    const proxy = await startTcpProxy();
    const dbFile = db('stream-stalled-stop');
    const args = ['--from-stream', own, '--stream-offset', 'first', '--db', dbFile, '--append', '--prefetch', '10', '--json'];
    try {
      const child = startPayops(['replay', ...args, '--amqp', viaProxy(proxy)]);
      const out = collectOutput(child);
      await waitFor(() => storedCount(dbFile) >= 100 || child.exitCode !== null, 'the first 100 events stored', 30_000);
      proxy.hold();
      child.kill('SIGTERM');
      // The broker answers neither the cancel nor the close: the stop drops the socket.
      expect(await out.exit).toBe(130);
      expect(out.stderr()).toMatch(/did not answer the consumer's cancel within \d+ ms[^]*connection to the broker dropped without its close handshake/);
      const stored = storedCount(dbFile);
      expect(stored).toBeLessThan(total);
      const offsets = new Database(dbFile, { readonly: true });
      expect(offsets.prepare('SELECT next_offset FROM stream_offsets WHERE queue = ?').pluck().get(own)).toBe(stored);
      offsets.close();
    } finally {
      await proxy.close();
    }
    try {
      const again = await runPayops(['replay', ...args, '--amqp', AMQP_URL, '--drain']);
      expect(again.code, again.stderr).toBe(0);
      expect(lastJson(again.stdout)).toMatchObject({ events: total, duplicates: 0, stoppedBecause: 'drained' });
    } finally {
      await stream.remove();
    }
  });

  it('--drain on an empty stream stops after the quiet time', async () => {
    const own = `${queue}.empty`;
    const stream = await ownStream(own);
    try {
      const r = await runPayops(['replay', '--from-stream', own, '--amqp', AMQP_URL, '--db', db('stream-empty'), '--drain', '--idle-ms', '500', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(lastJson(r.stdout)).toMatchObject({ events: 0, stoppedBecause: 'drained' });
    } finally {
      await stream.remove();
    }
  });

  it('says clearly when the stream does not exist or the offset is wrong', async () => {
    const r = await runPayops(['replay', '--from-stream', 'no.such.stream.q', '--amqp', AMQP_URL, '--db', db('nostream'), '--drain']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no queue "no\.such\.stream\.q"/);
    const o = await runPayops(['replay', '--from-stream', queue, '--amqp', AMQP_URL, '--stream-offset', 'yesterday', '--db', db('badoffset'), '--drain']);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/offset must be first, last, next/);
    // collect takes the same flag, through the same parser.
    const c = await runPayops(['collect', '--amqp', AMQP_URL, '--queue-type', 'stream', '--stream-offset', 'yesterday', '--db', db('badoffset-collect')]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--stream-offset: offset must be first, last, next/);
  });
});
