// `payops queues` as an operator runs it (the built CLI), against the real broker: the
// management API's figures in the JSON shape, and the fallback when the management
// URL is wrong, said on stderr.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueReport } from '../../../shared/queueStats';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { lastJson, runPayops } from '../../../test/support/cli';
import { answers, startLoopbackHttp } from '../../../test/support/fakeManagementServer';
import { waitFor } from '../../../test/support/waitFor';

const topo = uniqueTopology('queuescli');

beforeAll(async () => {
  const c = await amqp.connect(AMQP_URL);
  const ch = await c.createChannel();
  await ch.assertQueue(topo.queue, { durable: false, arguments: { 'x-max-length': 5000 } });
  for (let i = 0; i < 25; i++) ch.sendToQueue(topo.queue, Buffer.from(`m${i}`));
  await ch.close();
  await c.close();
  // The management plugin publishes a new queue's message counts with its next stats
  // emission (every few seconds): the shape test needs them to be there.
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:15672/api/queues/%2F/${encodeURIComponent(topo.queue)}`, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
    const q = res.ok ? ((await res.json()) as { messages_ready?: number }) : {};
    return q.messages_ready === 25;
  }, 'the management API to report the queue\'s 25 ready messages', 30_000, 250);
});

afterAll(async () => {
  const c = await amqp.connect(AMQP_URL);
  await (await c.createChannel()).deleteQueue(topo.queue);
  await c.close();
});

const KEYS = ['name', 'vhost', 'type', 'messages', 'ready', 'unacked', 'consumers', 'utilisation', 'rates', 'delaySeconds', 'drainSeconds', 'source', 'oldestMessageAgeSeconds'];

describe('payops queues', () => {
  it('--json prints the issue shape from the management API', async () => {
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', topo.queue, '--sample', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [q] = lastJson<QueueReport[]>(r.stdout);
    expect(Object.keys(q)).toEqual(KEYS);
    expect(q).toMatchObject({ name: topo.queue, vhost: '/', type: 'classic', ready: 25, unacked: 0, consumers: 0, source: 'management' });
    expect(Object.keys(q.rates)).toEqual(['publish', 'deliver', 'ack', 'redeliver']);
    expect(typeof q.rates.publish).toBe('number');
    expect(q.delaySeconds).toBeNull(); // nothing drains: no consumer
    expect(q.drainSeconds).toBeNull();
  }, 60_000);

  it('a wrong management URL falls back to a passive declare and says so', async () => {
    const http = await startLoopbackHttp(answers.status(200, '<html>a login page</html>', 'text/html'));
    try {
      const r = await runPayops(['queues', '--amqp', AMQP_URL, '--management', http.url, '--watch', topo.queue, '--sample', '1', '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/note: rates need the management plugin: management API at http:\/\/127.0.0.1:\d+ answered an HTML page/);
      const [q] = lastJson<QueueReport[]>(r.stdout);
      expect(q).toMatchObject({ name: topo.queue, messages: 25, ready: null, source: 'amqp', rates: { publish: null, deliver: null, ack: null, redeliver: null } });
    } finally {
      await http.close();
    }
  }, 60_000);

  it('a management URL that is not one is refused (exit 1); a broker that cannot be reached is exit 2', async () => {
    for (const bad of ['not-a-url', 'ftp://127.0.0.1:15672']) {
      const r = await runPayops(['queues', '--amqp', AMQP_URL, '--management', bad, '--watch', topo.queue, '--sample', '1']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/--management: management URL/);
    }
    // No one on the port, and a server there that does not speak AMQP.
    const http = await startLoopbackHttp(answers.status(200, 'hello', 'text/plain'));
    try {
      for (const url of ['amqp://guest:guest@127.0.0.1:1', `amqp://guest:guest@127.0.0.1:${new URL(http.url).port}`]) {
        const r = await runPayops(['queues', '--amqp', url, '--management', 'off', '--watch', topo.queue, '--sample', '1']);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/cannot reach broker amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+/);
      }
    } finally {
      await http.close();
    }
  }, 60_000);

  it('the table names the queue and its delay; a missing queue is reported, not fatal', async () => {
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', topo.queue, '--watch', `${topo.queue}.missing`, '--sample', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^queue\s+messages\s+ready\s+unacked/);
    expect(r.stdout).toContain(topo.queue);
    expect(r.stderr).toContain(`${topo.queue}.missing: queue not found`);
    // Nothing is known of its draining: '-', not "not draining".
    const missing = r.stdout.split('\n').find((l) => l.startsWith(`${topo.queue}.missing`))!;
    expect(missing).not.toContain('not draining');
    expect(missing.trim().split(/\s+/)).toContain('-');
  }, 60_000);

  it('the table says why a paused queue has no delay: no consumers, not an unknown', async () => {
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', topo.queue, '--sample', '1']);
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.startsWith(topo.queue))!;
    expect(row).toMatch(/\sno consumers\s+not draining\s/);
  }, 60_000);
});
