// bench:queues — what watching queues costs the console: 50 queues polled once a second
// through the management API (QueueStatsPoller: HTTP, zod validation, rates, delay, drain,
// Holt forecast), as CPU time of this process over wall time (share of one core). Beside it,
// in the same run, the ceiling: the same 50 GETs a second with bare fetch and JSON.parse.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ManagementClient } from '../electron/core/broker/managementClient';
import { managementEndpoint } from '../electron/core/broker/managementEndpoint';
import { QueueStatsPoller } from '../electron/core/broker/queueStatsPoller';

const AMQP_URL = process.env.PAYOPS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const QUEUES = Number(process.env.BENCH_QUEUES ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

async function measure(run: () => Promise<unknown>): Promise<{ corePct: number; polls: number }> {
  for (let i = 0; i < 3; i++) await run(); // warm-up: connections, JIT
  let polls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = Date.now() + SECONDS * 1000;
  let next = Date.now();
  while (Date.now() < end) {
    await run();
    polls++;
    next += 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  return { corePct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, polls };
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const names = Array.from({ length: QUEUES }, (_, i) => `bench.poll.${id}.${i}`);
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of names) {
    await ch.assertQueue(q, { durable: false, autoDelete: false });
    ch.sendToQueue(q, Buffer.from('x'));
  }
  const endpoint = managementEndpoint(AMQP_URL);
  const auth = `Basic ${Buffer.from(`${endpoint.username}:${endpoint.password}`).toString('base64')}`;
  const cols = 'name,vhost,type,messages,messages_ready,messages_unacknowledged,consumers,consumer_utilisation,arguments,message_stats';
  try {
    // Ceiling: the same one request a second (all 50 queues by an exact-name regex), nothing
    // done with the answer but parsing it. For scale, one GET per queue, as /api/queues/{vhost}/{name}.
    const regex = encodeURIComponent(`^(${names.map((n) => n.replace(/\./g, '\\.')).join('|')})$`);
    const listUrl = `${endpoint.baseUrl}/api/queues/%2F?page=1&page_size=${QUEUES}&use_regex=true&name=${regex}&columns=${cols}`;
    const bare = await measure(async () => JSON.parse(await (await fetch(listUrl, { headers: { authorization: auth } })).text()) as unknown);
    const perQueue = await measure(() =>
      Promise.all(
        names.map(async (q) => JSON.parse(await (await fetch(`${endpoint.baseUrl}/api/queues/%2F/${encodeURIComponent(q)}?columns=${cols}`, { headers: { authorization: auth } })).text()) as unknown),
      ),
    );
    let samples = 0;
    const poller = new QueueStatsPoller({
      queues: names,
      management: new ManagementClient(endpoint),
      passive: () => Promise.reject(new Error('management API expected')),
      onSamples: (s) => (samples += s.filter((x) => x.source === 'management').length),
      onNode: () => undefined,
    });
    const payops = await measure(() => poller.pollOnce());
    const rows = [
      { what: `bare: one GET per queue, ${QUEUES} GETs/s`, corePct: perQueue.corePct, polls: perQueue.polls },
      { what: `bare: one batched GET/s, ${QUEUES} queues`, corePct: bare.corePct, polls: bare.polls },
      { what: `payops QueueStatsPoller, ${QUEUES} queues/s`, corePct: payops.corePct, polls: payops.polls },
    ];
    for (const r of rows) console.log(`${r.what.padEnd(44)} ${r.corePct.toFixed(2).padStart(6)} % of one core  (${r.polls} polls)`);
    console.log(`ratio payops / bare batched GET: ${(payops.corePct / bare.corePct).toFixed(2)}; management samples: ${samples}; target: payops < 2 % of one core -> ${payops.corePct < 2 ? 'met' : 'NOT met'}`);
  } finally {
    for (const q of names) await ch.deleteQueue(q);
    await conn.close();
  }
}

void main();
