// `payops queues` reads how long the oldest waiting message has waited, in seconds, where the
// broker knows it: producers set the AMQP timestamp and the management API gives the head
// message's (head_message_timestamp, epoch seconds). Against the real broker: one queue whose
// messages carry a timestamp 2 minutes old, one whose messages carry none (the estimate from
// depth and rates stays, and the table says which it shows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueReport } from '../../../shared/queueStats';
import { AMQP_URL, uniqueTopology } from '../../../test/support/broker';
import { lastJson, runPayops } from '../../../test/support/cli';
import { deleteQueues, fillStampedAndPlain } from '../../../test/support/stampedQueues';
import { waitFor } from '../../../test/support/waitFor';

const stamped = uniqueTopology('queuesstamped').queue;
const plain = uniqueTopology('queuesplain').queue;
const AGE_S = 120;
let publishedAt = 0;

async function managementQueue(name: string): Promise<{ messages_ready?: number; head_message_timestamp?: number | null }> {
  const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
  const res = await fetch(`http://127.0.0.1:15672/api/queues/%2F/${encodeURIComponent(name)}`, { headers: { authorization: auth } });
  return res.ok ? ((await res.json()) as { messages_ready?: number }) : {};
}

beforeAll(async () => {
  publishedAt = await fillStampedAndPlain(stamped, plain, AGE_S);
  // The API shows a queue's figures at its next stats emission (every few seconds).
  await waitFor(async () => (await managementQueue(stamped)).head_message_timestamp === publishedAt && (await managementQueue(plain)).messages_ready === 5, 'the management API to show both queues', 30_000, 250);
}, 60_000);

afterAll(() => deleteQueues(stamped, plain));

describe('payops queues: the oldest waiting message', () => {
  it('--json gives its age in seconds where the head message has a timestamp, null where not; the existing fields stay', async () => {
    const before = Date.now() / 1000;
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', stamped, '--watch', plain, '--sample', '1', '--json']);
    const after = Date.now() / 1000;
    expect(r.code, r.stderr).toBe(0);
    const byName = new Map(lastJson<(QueueReport & { oldestMessageAgeSeconds?: unknown })[]>(r.stdout).map((q) => [q.name, q]));
    const s = byName.get(stamped)!;
    // Measured between the CLI's start and its end: the age it read lies between.
    expect(s.oldestMessageAgeSeconds).toBeGreaterThanOrEqual(before - publishedAt - 1);
    expect(s.oldestMessageAgeSeconds).toBeLessThanOrEqual(after - publishedAt + 1);
    expect(s).toMatchObject({ messages: 5, ready: 5, consumers: 0, delaySeconds: null, drainSeconds: null, source: 'management' });
    expect(byName.get(plain)!.oldestMessageAgeSeconds).toBeNull();
  }, 60_000);

  it('the table shows the age where it is known, and says the other is not', async () => {
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--watch', stamped, '--watch', plain, '--sample', '1']);
    expect(r.code, r.stderr).toBe(0);
    const row = (q: string) => r.stdout.split('\n').find((l) => l.startsWith(q))!;
    // 2.0 min (or 2.1 on a slow run) since the oldest message was published, nobody reads it.
    expect(row(stamped)).toMatch(/\s2\.\d min oldest, no consumers\s+not draining\s/);
    expect(row(plain)).toMatch(/\sno consumers\s+not draining\s/);
  }, 60_000);
});
