// An alert on how long the oldest waiting message has waited, measured where the broker knows
// it (producers set the AMQP timestamp; the management API gives the head message's). Against
// the real broker, with the samples the queue poller produces: a queue nobody reads whose
// messages were stamped 2 minutes ago has no delay estimate (nothing drains) but a measured
// age; a queue whose messages carry no timestamp has neither.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { rule } from '../../../test/support/alertTestKit';
import { deleteQueues, fillStampedAndPlain } from '../../../test/support/stampedQueues';
import { waitFor } from '../../../test/support/waitFor';
import { ManagementClient } from '../broker/managementClient';
import { managementEndpoint } from '../broker/managementEndpoint';
import { QueueStatsPoller } from '../broker/queueStatsPoller';
import { AlertEvaluator } from './alertEvaluator';

const stamped = uniqueTopology('oldestrulestamped').queue;
const plain = uniqueTopology('oldestruleplain').queue;
const AGE_S = 120;
let publishedAt = 0;
const management = new ManagementClient(managementEndpoint(AMQP_URL));

async function poll(): Promise<QueueDepth[]> {
  const poller = new QueueStatsPoller({ queues: [stamped, plain], management, passive: (q) => Promise.reject(new Error(`${q}: the management API is expected to answer`)), onSamples: () => undefined });
  return (await poller.pollOnce()) ?? [];
}

beforeAll(async () => {
  publishedAt = await fillStampedAndPlain(stamped, plain, AGE_S);
  // The API shows a queue's figures at its next stats emission (every few seconds).
  await waitFor(
    async () => {
      const byName = new Map((await poll()).map((d) => [d.queue, d]));
      return byName.get(stamped)?.oldestMessageAgeSeconds != null && byName.get(plain)?.messages === 5;
    },
    'the poller to read both queues from the management API',
    30_000,
    250,
  );
}, 60_000);

afterAll(() => deleteQueues(stamped, plain));

describe('queue_oldest_message_age_seconds', () => {
  it('fires on the measured age of the oldest waiting message, where delay (the estimate) has no data', async () => {
    const oldest = rule({ name: 'oldest-waiting', metric: 'queue_oldest_message_age_seconds', condition: { above: 60 }, window: '1m', for: '0s', minVolume: 0 });
    const delay = rule({ name: 'delayed', metric: 'queue_delay_seconds', condition: { above: 60 }, window: '1m', for: '0s', minVolume: 0 });
    const e = new AlertEvaluator([oldest, delay], null, { allowedLatenessMs: 0, evaluationIntervalMs: 1000 });
    const before = Date.now() / 1000;
    const samples = await poll();
    const after = Date.now() / 1000;
    const at = samples[0].at;
    e.observeQueues(samples, at);
    // The first whole-second tick after the poll judges it.
    e.advanceTo(at + 2000);
    const firing = e.list().filter((a) => a.state === 'firing');
    expect(firing.map((a) => [a.rule, a.labels.queue])).toEqual([['oldest-waiting', stamped]]);
    expect(firing[0].value).toBeGreaterThanOrEqual(before - publishedAt - 1);
    expect(firing[0].value).toBeLessThanOrEqual(after - publishedAt + 1);
  }, 60_000);
});
