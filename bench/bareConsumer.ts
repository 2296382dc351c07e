// The ceiling for bench:ingest: the least a consumer can do. Manual ack, prefetch 1000,
// JSON.parse of each body, an ack (multiple) every 500 messages. Prints its timing as JSON.
// With a 4th argument "stream": the queue is a stream queue, read from its first offset
// (x-stream-offset; a stream consumer needs manual acks and a prefetch, as here).
import amqp from 'amqplib';

async function main(): Promise<void> {
  const [url, queue, expectedText, kind] = process.argv.slice(2);
  const expected = Number(expectedText);
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await ch.prefetch(1000);
  let received = 0;
  let parsedBytes = 0;
  let first: number | null = null;
  await new Promise<void>((resolve) => {
    void ch.consume(queue, (msg) => {
      if (!msg) return;
      first ??= Date.now();
      const obj = JSON.parse(msg.content.toString('utf8')) as { id?: string };
      parsedBytes += obj.id ? obj.id.length : 0;
      received += 1;
      if (received % 500 === 0 || received === expected) ch.ack(msg, true);
      if (received === expected) resolve();
    }, { noAck: false, ...(kind === 'stream' ? { arguments: { 'x-stream-offset': 'first' } } : {}) });
  });
  const last = Date.now();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ received, firstDeliveryMs: first, lastAckMs: last, parsedBytes, cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`);
  await conn.close();
}

main().catch((err) => {
  process.stderr.write(`bare consumer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
