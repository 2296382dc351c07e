// Bodies sent with the AMQP content-encoding property (Spring AMQP's GZipPostProcessor, and
// others, compress JSON and say so there). They were quarantined as "body is not valid UTF-8",
// which sent the operator looking for a charset problem. The consumer thread now reads gzip
// and deflate bodies (bounded by the body limit, so a small bomb cannot blow up), quarantines a
// broken or oversized one with a reason naming the encoding, and leaves bodies under any other
// content-encoding (kombu sends "utf-8") to the decoder as they are. Real broker, the real
// consumer thread (BrokerIntake).
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import type { DecodeResult } from '../../../shared/events/eventTypes';
import { AMQP_URL, deleteTopology, prepareQueue, uniqueTopology } from '../../../test/support/broker';
import { waitFor } from '../../../test/support/waitFor';
import { paymentEvent } from '../../../bench/events';
import { BrokerIntake } from './brokerIntake';
import { DEFAULT_BROKER } from './brokerConfig';

const t = uniqueTopology('content-encoding');
afterAll(() => deleteTopology(t));

const LIMIT = 64 * 1024;

describe('bodies with a content-encoding, through RabbitMQ and the consumer thread', () => {
  it('reads gzip and deflate, refuses broken or oversized ones by name, passes other encodings through', async () => {
    await prepareQueue(t, ['#']);
    const ev = (id: string) => JSON.stringify({ ...paymentEvent('payment.authorized'), id });
    const sent: { id: string; body: Buffer; encoding?: string }[] = [
      { id: 'gz', body: gzipSync(ev('gz')), encoding: 'gzip' },
      { id: 'xgz', body: gzipSync(ev('xgz')), encoding: 'x-gzip' },
      { id: 'deflate', body: deflateSync(ev('deflate')), encoding: 'deflate' },
      { id: 'utf8', body: Buffer.from(ev('utf8')), encoding: 'utf-8' },
      { id: 'plain-said-gzip', body: Buffer.from(ev('plain-said-gzip')), encoding: 'gzip' },
      { id: 'truncated', body: gzipSync(ev('truncated')).subarray(0, 30), encoding: 'gzip' },
      // 1 MB of blanks inside an event: 1 KB compressed, 16 times the limit once read.
      { id: 'bomb', body: gzipSync(ev('bomb').replace('{', `{${' '.repeat(1 << 20)}`)), encoding: 'gzip' },
    ];
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    for (const s of sent) {
      ch.publish(t.exchange, 'payment.authorized', s.body, { contentType: 'application/cloudevents+json', contentEncoding: s.encoding, headers: { probe: s.id } });
    }
    await ch.waitForConfirms();
    await conn.close();

    const got = new Map<string, DecodeResult>();
    const intake = new BrokerIntake(
      { ...DEFAULT_BROKER, url: AMQP_URL, exchange: t.exchange, queue: t.queue, bindings: ['#'], initialRetries: 1 },
      {
        onDelivery: (raw, _redelivered, token, decoded) => {
          got.set(String(raw.headers?.probe), decoded);
          intake.ackUpTo(token, 1);
        },
        onStatus: () => undefined,
        onQueueSamples: () => undefined,
        log: () => undefined,
      },
      LIMIT,
    );
    try {
      await intake.start();
      await waitFor(() => got.size === sent.length, () => `all ${sent.length} messages (got ${[...got.keys()].join(', ')})`, 10_000);
    } finally {
      await intake.stop();
    }
    for (const id of ['gz', 'xgz', 'deflate', 'utf8', 'plain-said-gzip']) {
      expect(got.get(id), id).toMatchObject({ ok: true, event: { id } });
    }
    expect(got.get('truncated')).toMatchObject({ ok: false, reason: expect.stringMatching(/content-encoding gzip.*could not be decompressed/) });
    expect(got.get('bomb')).toMatchObject({ ok: false, reason: expect.stringMatching(/content-encoding gzip.*more than 65536 bytes once decompressed/) });
  }, 20_000);
});
