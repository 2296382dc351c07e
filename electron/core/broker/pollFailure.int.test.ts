// A poll where everything fails: the management API answers HTTP 500 (a real HTTP server on
// loopback) and the passive declare rejects (a real amqplib checkQueue of a queue that does
// not exist: the broker answers 404 and closes the channel). The poller runs on its own
// timer beside ingest; a rejected poll there is an unhandled rejection, and Node 20 exits
// the process on one. The failed poll must be a reported status, and the next poll must run.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { answers, startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueStatsPoller, RATES_NEED_MANAGEMENT } from './queueStatsPoller';

const topo = uniqueTopology('pollfail');
const absent = `${topo.queue}.absent`;
let conn: amqp.ChannelModel;
let http: LoopbackHttp;

beforeAll(async () => {
  conn = await amqp.connect(AMQP_URL);
  http = await startLoopbackHttp(answers.status(500, JSON.stringify({ error: 'Internal Server Error', reason: 'stats db down' })));
});

afterAll(async () => {
  await conn.close();
  await http.close();
});

/** A passive declare that rejects as amqplib does (no error turned into a sample on the way). */
async function rejectingPassive(queue: string): Promise<QueueDepth> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  const ok = await ch.checkQueue(queue);
  await ch.close();
  return { queue, messages: ok.messageCount, consumers: ok.consumerCount, at: Date.now(), error: null };
}

describe('a poll where the management API and the passive declare both fail', () => {
  it('is reported on each poll, never rejected, and the polling goes on', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const reports: QueueDepth[][] = [];
    const logs: string[] = [];
    const poller = new QueueStatsPoller({
      queues: [absent],
      management: new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }),
      passive: rejectingPassive,
      onSamples: (s) => void reports.push(s),
      log: (line) => void logs.push(line),
      intervalMs: 100,
    });
    try {
      poller.start();
      await waitFor(() => reports.length >= 3, () => `three polls reported (saw ${reports.length}; ${unhandled.length} unhandled rejections, the first: ${String(unhandled[0])})`, 15_000);
      // The same answer once more, by hand (between the timer's polls; stop() is final): resolved, not thrown.
      const again = await waitFor(() => poller.pollOnce(), "a poll by hand between the timer's", 15_000);
      poller.stop();
      expect(unhandled).toEqual([]);
      for (const [s] of [...reports, again!]) {
        expect(s).toMatchObject({ queue: absent, messages: null, consumers: null, source: 'amqp' });
        expect(s.error).toMatch(/passive declare failed: .*NOT_FOUND/);
        expect(s.note).toContain(`${RATES_NEED_MANAGEMENT}: `);
        expect(s.note).toContain('HTTP 500');
      }
      expect(logs.some((l) => l.includes('HTTP 500'))).toBe(true);
    } finally {
      poller.stop();
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a sink that throws is logged, and the next poll still runs', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let calls = 0;
    const logs: string[] = [];
    const poller = new QueueStatsPoller({
      queues: [absent],
      management: new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }),
      passive: rejectingPassive,
      onSamples: () => {
        calls++;
        throw new Error(`the snapshot sink is gone (call ${calls})`);
      },
      log: (line) => void logs.push(line),
      intervalMs: 100,
    });
    try {
      poller.start();
      await waitFor(() => calls >= 3, () => `three polls (saw ${calls}; ${unhandled.length} unhandled rejections, the first: ${String(unhandled[0])})`, 15_000);
      poller.stop();
      expect(unhandled).toEqual([]);
      expect(logs).toContain('queue polling failed: the snapshot sink is gone (call 1)');
    } finally {
      poller.stop();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
