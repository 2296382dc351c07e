// The decoder on messages as the real broker and amqplib deliver them (AMQP binding of
// CloudEvents): a structured-mode message that also carries its attributes as cloudEvents:
// headers (binding 3.2.3), and a binary-mode extension sent as AMQP binary (a byte array).
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import type { RawMessage } from '../../../shared/events/eventTypes';
import { paymentEvent } from '../../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../../test/support/broker';

const t = uniqueTopology('ce-modes');
afterAll(() => deleteTopology(t));

/** The next message of the topology's queue, as brokerConsumer hands it to the decoder. */
async function nextMessage(): Promise<RawMessage> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const msg = await ch.get(t.queue, { noAck: true });
      if (msg) {
        return { body: msg.content, headers: msg.properties.headers ?? null, contentType: msg.properties.contentType ?? null, routingKey: msg.fields.routingKey, arrivalMs: Date.now() };
      }
      if (Date.now() > deadline) throw new Error(`no message on ${t.queue}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await conn.close();
  }
}

describe('CloudEvents AMQP binding, through RabbitMQ', () => {
  it('decodes a structured payment event that carries copies of its attributes as cloudEvents: headers', async () => {
    await prepareQueue(t, ['#']);
    const e = paymentEvent('payment.authorized');
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': e.id, 'cloudEvents:source': e.source, 'cloudEvents:type': e.type, 'cloudEvents:time': e.time };
    await publishAll(t.exchange, [{ body: JSON.stringify(e), routingKey: e.type, headers, contentType: 'application/cloudevents+json; charset=utf-8' }]);
    const r = decodeMessage(await nextMessage());
    expect(r).toMatchObject({ ok: true, event: { id: e.id, category: 'payment', paymentId: e.data.paymentId, amount: e.data.amount } });
  });
  it('keeps a binary-mode extension sent as AMQP binary that is not UTF-8, as base64', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x01]);
    const headers = { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': 'amqp-bin-1', 'cloudEvents:source': 'psp/capture', 'cloudEvents:type': 'com.example.blob', 'cloudEvents:extbinary': bytes };
    await publishAll(t.exchange, [{ body: Buffer.from('note'), routingKey: 'com.example.blob', headers, contentType: 'text/plain' }]);
    const raw = await nextMessage();
    expect(Buffer.isBuffer(raw.headers?.['cloudEvents:extbinary'])).toBe(true);
    const r = decodeMessage(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(JSON.parse(r.event.json)).toMatchObject({ extbinary: '/wAB', data: 'note' });
  });
});
