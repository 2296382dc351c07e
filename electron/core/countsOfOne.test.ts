// Counts the core writes into errors and log lines say "1 message", "1 queue", "1 byte", not
// "1 messages": a notification queue full at one, a broker that rejected one message of one, a
// management request for one queue, a metrics message of one byte that is not JSON.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMetricsMessage } from '../../shared/metricsStream';
import { answers, startLoopbackHttp, type LoopbackHttp } from '../../test/support/fakeManagementServer';
import { CaptureExistsError } from './capture/captureErrors';
import { ManagementClient } from './broker/managementClient';
import { managementEndpoint } from './broker/managementEndpoint';
import { queueFullText } from './notify/delivery';
import { rejectedText } from './sim/publishTraffic';

const PLURAL_OF_ONE = /\b1 (messages|queues|bytes)\b/;
let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('counts of one in the core', () => {
  it('a notification queue full at one message', () => {
    expect(queueFullText(1, 'ops')).toBe('not sent: 1 message already waiting for ops');
    expect(queueFullText(1000, 'ops')).toBe('not sent: 1000 messages already waiting for ops');
  });

  it('a broker that rejected one message of one', () => {
    expect(rejectedText(1, 1, 0)).toBe('broker rejected 1 of 1 message (published 0)');
    expect(rejectedText(1, 2, 1)).toBe('broker rejected 1 of 2 messages (published 1)');
  });

  it('a management request for one queue names one queue', async () => {
    server = await startLoopbackHttp(answers.status(500, '{"error":"boom"}'));
    const client = new ManagementClient(managementEndpoint('amqp://guest:guest@127.0.0.1:5672', server.url), { timeoutMs: 2000 });
    const err = await client.queues(['q.one']).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/HTTP 500 .*\(1 queue\)/);
    expect(err?.message).not.toMatch(PLURAL_OF_ONE);
  });

  it('a metrics message of one byte that is not JSON', () => {
    expect(decodeMetricsMessage('x')).toMatchObject({ ok: false, reason: 'not JSON (1 byte)' });
    expect(decodeMetricsMessage('xy')).toMatchObject({ ok: false, reason: 'not JSON (2 bytes)' });
  });

  it('a capture file of one byte that is already there', () => {
    expect(new CaptureExistsError('c.ndjson', 1).message).toContain('already exists (1 byte): recording would overwrite it');
  });
});
