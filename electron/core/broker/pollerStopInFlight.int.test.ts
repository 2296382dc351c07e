// QueueStatsPoller.stop() cleared its timer and stopped the passive declares, but a poll
// already waiting on the management API went on when the answer came: it called onSamples
// (and onNode, and the log) after stop(), so a stopped session's consumer thread still posted
// queue samples to an engine being torn down. After stop() returns, no callback may run.
// A real HTTP server on loopback holds its answer until the test has stopped the poller.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { scratchQueues } from '../../../test/support/scratchQueues';
import { startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('pollerstop');
const { conn } = scratchQueues([topo.queue]);
let http: LoopbackHttp;
const held: ServerResponse[] = [];

// Answers only when the test releases it: a management API slower than the stop.
beforeAll(async () => void (http = await startLoopbackHttp((_req, res) => void held.push(res))));
afterAll(() => http.close());

/** A poller on the loopback API whose callbacks, once `stopped` says so, are written to `after`. */
function pollerHeardAfterStop(stopped: () => boolean, after: string[]): QueueStatsPoller {
  const passive = new QueueDepthPoller([topo.queue], conn, () => undefined);
  const heard = (what: string) => (line?: unknown) => void (stopped() && after.push(`${what} ${String(line ?? '')}`.trim()));
  return new QueueStatsPoller({
    queues: [topo.queue],
    management: new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 }),
    passive: (q) => passive.sample(q),
    onSamples: heard('onSamples'),
    onNode: heard('onNode'),
    log: heard('log'),
    onStop: () => passive.stop(),
  });
}

function release(body: string): void {
  for (const res of held.splice(0)) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  }
}

describe('QueueStatsPoller.stop() during a poll', () => {
  it('no onSamples, onNode or log after stop(), whichever answer the poll then gets', async () => {
    const entry = { name: topo.queue, vhost: '/', type: 'classic', messages: 5, messages_ready: 5, messages_unacknowledged: 0, consumers: 1 };
    for (const answer of [JSON.stringify(entry), '<html>gateway</html>']) {
      const after: string[] = [];
      let stopped = false;
      const poller = pollerHeardAfterStop(() => stopped, after);
      const poll = poller.pollOnce();
      await waitFor(() => held.length > 0, 'the poll asking the management API');
      poller.stop();
      stopped = true;
      release(answer);
      expect(await poll).toBeNull();
      expect(after).toEqual([]);
    }
  });
});

// The poll stopped reporting, but its request to the management API ran on to its timeout (5 s
// here, 3 s by default): the socket held, the poll unsettled, long after the session stopped.
describe('QueueStatsPoller.stop() with the management API not answering', () => {
  it('cancels the request in flight: the poll settles at once, the server sees the request go, nothing is logged', async () => {
    const after: string[] = [];
    let stopped = false;
    const poller = pollerHeardAfterStop(() => stopped, after);
    let settled = false;
    const poll = poller.pollOnce().finally(() => (settled = true));
    const res = await waitFor(() => held[0], 'the poll asking the management API');
    let requestGone = false;
    res.on('close', () => (requestGone = true));
    poller.stop();
    stopped = true;
    try {
      await waitFor(() => settled && requestGone, () => `the poll settled (${settled}) and its request gone (${requestGone})`, 1500);
      expect(await poll).toBeNull();
      expect(after).toEqual([]);
    } finally {
      held.splice(0).forEach((r) => r.destroy());
    }
  });
});
