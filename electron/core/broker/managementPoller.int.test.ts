// A management API that answers 401, 404, HTML, slowly or with malformed JSON: each gives a
// clear note naming what is wrong, and the poller falls back to a passive declare over AMQP
// against the real broker (depth still known) instead of throwing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { scratchQueues } from '../../../test/support/scratchQueues';
import { answers, startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient, ManagementError } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller, RATES_NEED_MANAGEMENT } from './queueStatsPoller';

const topo = uniqueTopology('mgmtbad');
const { conn } = scratchQueues([topo.queue], () => 7);
let http: LoopbackHttp;

beforeAll(async () => void (http = await startLoopbackHttp(answers.status(200, '{}'))));
afterAll(() => http.close());

function pollerAgainst(url: string, logs: string[], timeoutMs = 1500) {
  const passive = new QueueDepthPoller([topo.queue], conn, () => undefined);
  const client = new ManagementClient(managementEndpoint(AMQP_URL, url), { timeoutMs });
  const poller = new QueueStatsPoller({
    queues: [topo.queue],
    management: client,
    passive: (q) => passive.sample(q),
    onSamples: () => undefined,
    log: (l) => logs.push(l),
    onStop: () => passive.stop(),
  });
  return { poller, client };
}

// timeoutMs: a loaded machine may take more than the default 1.5 s to read 64 MB over loopback.
const cases: { what: string; answer: ReturnType<typeof answers.status>; kind: string; says: RegExp; timeoutMs?: number }[] = [
  { what: '401', answer: answers.status(401, '{"error":"not_authorised"}'), kind: 'unauthorized', says: /refused the credentials \(HTTP 401\)/ },
  { what: '404 (not the API)', answer: answers.status(404, '<html>nope</html>', 'text/html'), kind: 'not-found', says: /answered 404 .*management plugin's address/ },
  { what: 'an HTML page', answer: answers.status(200, '<!doctype html><title>Login</title>', 'text/html'), kind: 'not-json', says: /HTML page, not JSON/ },
  { what: 'malformed JSON', answer: answers.status(200, '{"name": "q", "messages": 12,'), kind: 'malformed', says: /malformed JSON/ },
  { what: 'JSON of another shape', answer: answers.status(200, '{"name": 5}'), kind: 'malformed', says: /unexpected shape.*name/ },
  { what: 'a 400 MB answer', answer: answers.huge(400), kind: 'too-large', says: /answered more than 64 MB/, timeoutMs: 20_000 },
  { what: 'no answer (slow)', answer: answers.silent(), kind: 'timeout', says: /did not answer within 1500 ms/ },
  // An empty answer (a 200 or 204 with no body) read "answered malformed JSON (queue q): " and nothing after.
  { what: 'an empty answer', answer: answers.status(200, ''), kind: 'malformed', says: /answered an empty body, not JSON \(queue / },
  // A count is a whole number of messages: 2.5 was taken as the depth.
  { what: 'a fractional message count', answer: answers.status(200, JSON.stringify({ name: topo.queue, vhost: '/', messages: 2.5 })), kind: 'malformed', says: /unexpected shape.*messages/ },
  // Another queue's figures (a proxy that rewrites paths) were shown as this queue's.
  { what: "another queue's figures", answer: answers.status(200, JSON.stringify({ name: 'someone.else', vhost: '/', messages: 3 })), kind: 'malformed', says: /answered for queue "someone\.else" in vhost "\/"/ },
];

describe('a management API that answers badly', () => {
  for (const c of cases) {
    it(`${c.what}: clear message, falls back to passive declare, depth still read`, async () => {
      http.answer = c.answer;
      const logs: string[] = [];
      const { poller, client } = pollerAgainst(http.url, logs, c.timeoutMs);
      const err = await client.queue(topo.queue).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ManagementError);
      expect((err as ManagementError).kind).toBe(c.kind);
      expect((err as ManagementError).message).toMatch(c.says);
      expect((err as ManagementError).message).not.toContain('guest:guest');

      const samples = await poller.pollOnce();
      poller.stop();
      const s = samples![0];
      expect(s.source).toBe('amqp');
      expect(s.messages).toBe(7);
      expect(s.error).toBeNull();
      expect(s.note).toContain(RATES_NEED_MANAGEMENT);
      expect(s.note).toMatch(c.says);
      expect(s.rates).toEqual({ publish: null, deliver: null, ack: null, redeliver: null });
      expect(logs.some((l) => l.includes(RATES_NEED_MANAGEMENT))).toBe(true);
    });
  }

  it('a field of the wrong type in a list names the queue it belongs to', async () => {
    http.answer = answers.status(200, JSON.stringify({ items: [{ name: 'fine', vhost: '/', messages: 1 }, { name: topo.queue, vhost: '/', messages: '12' }], total_count: 2 }));
    const client = new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 1500 });
    const found = await client.queues(['fine', topo.queue]);
    // The other entry keeps its figures (managementBadEntry.int.test.ts: through the poller).
    expect(found.get('fine')).toMatchObject({ name: 'fine', messages: 1 });
    const err = found.get(topo.queue);
    expect(err).toBeInstanceOf(ManagementError);
    expect((err as ManagementError).kind).toBe('malformed');
    expect((err as ManagementError).message).toMatch(new RegExp(`unexpected shape for one queue: "${topo.queue.replace(/\./g, '\\.')}" messages: .*expected number`));
  });

  it('a consumer utilisation outside 0..1 is unknown, not shown as -400 % or 700 %', async () => {
    for (const utilisation of [-4, 7]) {
      http.answer = answers.status(200, JSON.stringify({ name: topo.queue, vhost: '/', messages: 7, consumers: 1, consumer_utilisation: utilisation }));
      const { poller } = pollerAgainst(http.url, []);
      const [s] = (await poller.pollOnce())!;
      poller.stop();
      expect(s).toMatchObject({ source: 'management', messages: 7, utilisation: null });
    }
  });

  it('a wrong management URL (nothing listening) falls back and says so', async () => {
    const closed = await startLoopbackHttp(answers.status(200, '{}'));
    const url = closed.url;
    await closed.close();
    const logs: string[] = [];
    const { poller } = pollerAgainst(url, logs);
    const [s] = (await poller.pollOnce())!;
    poller.stop();
    expect(s).toMatchObject({ source: 'amqp', messages: 7 });
    expect(s.note).toMatch(/rates need the management plugin: management API at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
  });
});
