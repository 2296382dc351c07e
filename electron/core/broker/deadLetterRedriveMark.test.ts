// A message redriven home that dies again comes back without the broker's history (a redrive
// drops x-death, or it would keep growing): browsing must still say it was sent home before,
// or a poison message loops between its queue and the dead-letter queue looking new each time.
import { describe, expect, it } from 'vitest';
import { describeDeadLetter, redriveHeaders } from './deadLetterMessage';

const death = { queue: 'payments.work', reason: 'rejected', exchange: 'payments', 'routing-keys': ['payment.authorized'], count: 1, time: { '!': 'timestamp', value: 1_796_000_000 } };
const input = (headers: Record<string, unknown> | null) => ({
  body: Buffer.from('{"specversion":"1.0","id":"e-1","source":"s","type":"payment.authorized"}'),
  headers,
  contentType: 'application/cloudevents+json',
  messageId: null,
  exchange: 'dlx',
  routingKey: 'payment.authorized',
});

describe('a dead letter redriven before', () => {
  it('says how many times it was sent home, from the mark the redrive put on it', () => {
    const home = redriveHeaders({ 'x-death': [death] }, 'r-1', 'payments.dlq', 2);
    const again = describeDeadLetter(input({ ...home, 'x-death': [death] }));
    expect(again.redriven).toBe(2);
  });

  it('says nothing of a message never redriven', () => {
    expect(describeDeadLetter(input({ 'x-death': [death] })).redriven).toBeUndefined();
  });
});
