// Issue 11, "two consoles on one broker split the traffic": every console's default queue was
// the same durable `payops.console`, so a second operator starting payops with defaults got
// half of the events (the broker round-robins). Against the real broker, with the BUILT CLI
// (`npm run build:core` first):
//   - two consoles (`payops serve`) started with default settings each store every event, on
//     a queue of their own (payops.console.<host>.<id>), durable, with x-expires 24 h; one
//     restarted finds its queue again and stores what arrived while it was closed;
//   - two consoles given one queue name on purpose compete for its messages and say so.
// The consoles get a test exchange of their own (so that no one else's traffic reaches them);
// everything about their queue is left at its default.
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL, publishAll, uniqueTopology } from '../../test/support/broker';
import { startPayops } from '../../test/support/cli';
import { collectOutput, storedCount, waitFor } from '../../test/support/faultKit';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-two-consoles-');
const queues = new Set<string>();
const exchanges = new Set<string>();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const conn = await amqp.connect(AMQP_URL);
  try {
    for (const q of queues) {
      const ch = await conn.createChannel();
      await ch.deleteQueue(q).catch(() => undefined);
    }
    for (const x of exchanges) {
      const ch = await conn.createChannel();
      await ch.deleteExchange(x).catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
});

const OWN_QUEUE = /consuming queue (payops\.console\.[a-z0-9-]+\.[0-9a-f]{8}) \(this console's own, classic, durable, x-expires 1440 min\)/;

interface Console {
  child: ChildProcess;
  out: ReturnType<typeof collectOutput>;
  home: string;
  db: string;
}

function startConsole(name: string, exchange: string, extra: string[] = []): Console {
  const home = path.join(dir, name);
  fs.mkdirSync(home, { recursive: true });
  // Default settings: no --queue, no --db (PAYOPS_HOME/live.db), only the test's exchange.
  const child = startPayops(['serve', '--amqp', AMQP_URL, '--exchange', exchange, '--port', '0', ...extra], { PAYOPS_HOME: home });
  children.push(child);
  return { child, out: collectOutput(child), home, db: path.join(home, 'live.db') };
}

async function queueOf(c: Console): Promise<string> {
  await waitFor(() => OWN_QUEUE.test(c.out.stderr()) || c.child.exitCode !== null, 30_000, 'the console to consume its queue', 100, () => c.out.stderr());
  const m = OWN_QUEUE.exec(c.out.stderr());
  if (!m) throw new Error(`no own queue: ${c.out.stderr()}`);
  queues.add(m[1]);
  return m[1];
}

async function stop(c: Console): Promise<void> {
  c.child.kill('SIGTERM');
  await c.out.exit;
}

function events(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => paymentEvent(i % 4 ? 'payment.authorized' : 'payment.declined', { id: `${tag}-${i}` }));
}

function brokerQueue(name: string): { durable: boolean; arguments: string } {
  const out = execFileSync('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name', 'durable', 'arguments'], { encoding: 'utf8', timeout: 30_000 });
  for (const line of out.split('\n')) {
    const [n, durable, args] = line.trim().split('\t');
    if (n === name) return { durable: durable === 'true', arguments: args };
  }
  throw new Error(`queue ${name} not on the broker`);
}

describe('one console, one queue', () => {
  it('two consoles started with default settings on one broker both store every published event', async () => {
    const { exchange } = uniqueTopology('two');
    exchanges.add(exchange);
    const a = startConsole('a', exchange);
    const b = startConsole('b', exchange);
    const [qa, qb] = await Promise.all([queueOf(a), queueOf(b)]);
    expect(qa).not.toBe(qb);

    const first = events(600, 'first');
    await publishAll(exchange, first.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    for (const c of [a, b]) {
      await waitFor(() => storedCount(c.db) === first.length, 30_000, 'every event stored by both consoles', 200, () => c.out.stderr());
      const stored = storedIdentities(c.db);
      expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total: 600, distinct: 600 });
      for (const e of first) expect(stored.ids.has(`${e.source}|${e.id}`)).toBe(true);
    }
    // Durable, and gone a day after its console was last seen.
    for (const q of [qa, qb]) expect(brokerQueue(q)).toEqual({ durable: true, arguments: '[{"x-expires",86400000}]' });
    // Neither competes: each is its queue's only consumer.
    expect(a.out.stderr()).not.toMatch(/compete/);

    // Closed, a console keeps its queue: what arrives meanwhile is stored when it is back.
    await stop(a);
    const whileClosed = events(200, 'closed');
    await publishAll(exchange, whileClosed.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    const again = startConsole('a', exchange);
    expect(await queueOf(again)).toBe(qa);
    await waitFor(() => storedCount(again.db) === 800, 30_000, 'the events published while closed', 200, () => again.out.stderr());
    await waitFor(() => storedCount(b.db) === 800, 30_000, 'console b to store them too', 200);
    await Promise.all([stop(again), stop(b)]);
  }, 180_000);

  it('two consoles given one queue name compete for its messages, and say so', async () => {
    const t = uniqueTopology('shared');
    exchanges.add(t.exchange);
    queues.add(t.queue);
    const a = startConsole('shared-a', t.exchange, ['--queue', t.queue]);
    const b = startConsole('shared-b', t.exchange, ['--queue', t.queue]);
    const named = new RegExp(`consuming queue ${t.queue.replace(/\./g, '\\.')} \\(named in the configuration, classic, durable, no expiry\\)`);
    for (const c of [a, b]) await waitFor(() => named.test(c.out.stderr()), 30_000, 'consuming the named queue', 100, () => c.out.stderr());
    // Each sees the other within a few seconds (the consumer count is checked every 5 s).
    const competes = new RegExp(`queue ${t.queue.replace(/\./g, '\\.')} has 2 consumers: they compete for its messages, each gets only part of them`);
    for (const c of [a, b]) await waitFor(() => competes.test(c.out.stderr()), 20_000, 'the console to say it competes', 200, () => c.out.stderr());

    const sent = events(400, 'shared');
    await publishAll(t.exchange, sent.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    await waitFor(() => storedCount(a.db) + storedCount(b.db) === 400, 30_000, 'the two halves', 200);
    // The broker round-robins: each console holds only part of the traffic.
    expect(storedCount(a.db)).toBeGreaterThan(0);
    expect(storedCount(b.db)).toBeGreaterThan(0);
    expect(storedCount(a.db)).toBeLessThan(400);
    await Promise.all([stop(a), stop(b)]);
  }, 120_000);
});
