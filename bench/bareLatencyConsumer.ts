// The ceiling for bench:latency: the least a consumer of payops's kind of queue can do. It
// consumes a durable queue bound to the whole loaded exchange (the simulator's persistent
// traffic and the markers, as payops's own queue is), with payops's prefetch, parses every
// body, acknowledges (multiple) every 500 messages and at least every 50 ms, and notes when
// each marker arrived. Run in its own process (the publisher's event loop must not delay it)
// and in its own phase (payops is not consuming then). Sends the markers' arrival times,
// and every message's arrival time (the load carried) when its parent sends "report".
import amqp from 'amqplib';

const PREFETCH = 10_000; // payops's default (electron/core/broker/brokerConfig.ts)

async function main(): Promise<void> {
  const [url, queue, markerType] = process.argv.slice(2);
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.prefetch(PREFETCH);
  const seen: Record<string, number> = {};
  /** Arrival times of every message, to tell the load the broker actually carried. */
  const arrivals: number[] = [];
  let unacked: amqp.ConsumeMessage | null = null;
  let count = 0;
  const ackNow = () => {
    if (unacked) ch.ack(unacked, true);
    unacked = null;
    count = 0;
  };
  const timer = setInterval(ackNow, 50);
  await ch.consume(queue, (msg) => {
    if (!msg) return;
    const at = Date.now();
    arrivals.push(at);
    const body = JSON.parse(msg.content.toString('utf8')) as { id?: string; type?: string };
    if (body.type === markerType && typeof body.id === 'string') seen[body.id] = at;
    unacked = msg;
    if (++count >= 500) ackNow();
  });
  process.send?.({ ready: true });
  process.on('message', (m) => {
    if (m !== 'report') return;
    clearInterval(timer);
    ackNow();
    process.send?.({ seen, arrivals }, () => void conn.close().finally(() => process.exit(0)));
  });
}

main().catch((err) => {
  process.stderr.write(`bare latency consumer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
