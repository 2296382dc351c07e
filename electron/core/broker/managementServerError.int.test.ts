// A management API that fails with HTTP 500 says why in its JSON body ({"error", "reason"}):
// the operator sees that reason, bounded and without control characters (a real HTTP server
// on loopback answers as RabbitMQ's does; the poller falls back to a passive declare against
// the real broker with the same words).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { scratchQueues } from '../../../test/support/scratchQueues';
import { answers, startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient, ManagementError } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

const topo = uniqueTopology('mgmt500');
const { conn } = scratchQueues([topo.queue], () => 3);
let http: LoopbackHttp;

beforeAll(async () => void (http = await startLoopbackHttp(answers.status(500, '{}'))));
afterAll(() => http.close());

const client = () => new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 5000 });

describe('an HTTP 500 from the management API', () => {
  it("names RabbitMQ's reason", async () => {
    http.answer = answers.status(500, JSON.stringify({ error: 'Internal Server Error', reason: 'queue metrics table unavailable: mnesia not running' }));
    const err = (await client().queue(topo.queue).catch((e: unknown) => e)) as ManagementError;
    expect(err).toBeInstanceOf(ManagementError);
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(/answered HTTP 500 Internal Server Error \(queue t\.mgmt500\.\w+\.q\): Internal Server Error: queue metrics table unavailable: mnesia not running$/);
  });

  it('a long reason holding control characters is cut and cleaned, and the poller says it', async () => {
    // An Erlang stack dump with terminal escapes and new lines, far longer than a line.
    const reason = `{badarg,[{ets,lookup,[queue_metrics,<<"q">>]}\u001b[31m\r\n${'x'.repeat(5000)}END`;
    http.answer = answers.status(500, JSON.stringify({ error: 'Internal Server Error', reason }));
    const err = (await client().queue(topo.queue).catch((e: unknown) => e)) as ManagementError;
    expect(err.message).toContain('{badarg,[{ets,lookup,[queue_metrics,<<"q">>]}');
    expect(err.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(err.message).not.toContain('END');
    expect(err.message.length).toBeLessThan(600);

    const passive = new QueueDepthPoller([topo.queue], conn, () => undefined);
    const poller = new QueueStatsPoller({ queues: [topo.queue], management: client(), passive: (q) => passive.sample(q), onSamples: () => undefined, onStop: () => passive.stop() });
    try {
      const [s] = (await poller.pollOnce())!;
      expect(s).toMatchObject({ source: 'amqp', messages: 3 });
      expect(s.note).toContain('HTTP 500 Internal Server Error');
      expect(s.note).toContain('{badarg,[{ets,lookup');
      expect(s.note).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      poller.stop();
    }
  });
});
