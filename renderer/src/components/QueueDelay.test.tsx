// The queue panel's delay cell (react-dom/server, no DOM needed) for a stuck consumer, as the
// poller samples one against the real broker (electron/core/broker/stuckConsumer.int.test.ts):
// messages wait, a consumer holds its prefetch, the broker saw nothing delivered or acknowledged.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { QueueDepth } from '../../../shared/metrics';
import { QueueDelay } from './QueueDelay';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const stuck: QueueDepth = {
  queue: 'orders',
  vhost: '/',
  type: 'classic',
  messages: 20,
  ready: 17,
  unacked: 3,
  consumers: 2,
  utilisation: 0,
  rates: { publish: 0, deliver: 0, ack: 0, redeliver: 0 },
  at: Date.UTC(2026, 11, 6, 23, 0, 0),
  error: null,
  source: 'management',
  note: null,
  delaySeconds: null,
  drainSeconds: null,
  // The first poll that sees the stall starts its clock: 0 s so far.
  stalledSeconds: 0,
};

describe('the queue panel on a stuck consumer', () => {
  it('says it is stuck from the first poll that sees it, not a dash', () => {
    expect(text(renderToStaticMarkup(<QueueDelay q={stuck} />))).toBe('stuck: 2 consumers, 0 delivered/s');
  });

  it('and how long it has been stalled once the clock has run', () => {
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...stuck, stalledSeconds: 150 }} />))).toBe('stuck: 2 consumers, 0 delivered/s · stalled 2.5 min');
  });

  it('a queue that delivers, or nobody reads, is not called stuck', () => {
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...stuck, rates: { publish: 0, deliver: 4, ack: 4, redeliver: 0 }, delaySeconds: 5 }} />))).toBe('5.00 s est.');
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...stuck, consumers: 0, stalledSeconds: null }} />))).toBe('no consumers');
  });

  it('the oldest waiting message\'s age where its producer stamped it, measured, and the estimate said as one where not', () => {
    const delivering = { ...stuck, rates: { publish: 4, deliver: 4, ack: 4, redeliver: 0 }, delaySeconds: 5, stalledSeconds: 0 };
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...delivering, oldestMessageAgeSeconds: 42 }} />))).toBe('42.0 s oldest');
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...delivering, oldestMessageAgeSeconds: null }} />))).toBe('5.00 s est.');
    // Nothing drains: how long the oldest has waited, and why.
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...stuck, oldestMessageAgeSeconds: 150 }} />))).toBe('2.5 min oldest · stuck: 2 consumers, 0 delivered/s');
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...stuck, consumers: 0, stalledSeconds: null, oldestMessageAgeSeconds: 150 }} />))).toBe('2.5 min oldest · no consumers');
    // An empty queue's 0 is exact.
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...delivering, messages: 0, ready: 0, unacked: 0, delaySeconds: 0 }} />))).toBe('0 ms');
  });

  it('over AMQP alone: the consumer\'s newest delivery\'s wait, said as such, or that delay needs the management API', () => {
    const amqpOnly: QueueDepth = { ...stuck, type: null, ready: null, unacked: null, utilisation: null, rates: { publish: null, deliver: null, ack: null, redeliver: null }, source: 'amqp', note: 'rates need the management plugin (no management API configured)', stalledSeconds: null };
    // Before: a dash, with messages waiting.
    expect(text(renderToStaticMarkup(<QueueDelay q={amqpOnly} />))).toBe('delay needs the management API');
    const html = renderToStaticMarkup(<QueueDelay q={{ ...amqpOnly, oldestMessageAgeSeconds: 30, oldestMessageAgeFrom: 'consumer' }} />);
    expect(text(html)).toBe('30.0 s waited');
    expect(html).toContain('newest message this console was delivered');
    // An empty queue needs nothing.
    expect(text(renderToStaticMarkup(<QueueDelay q={{ ...amqpOnly, messages: 0, delaySeconds: 0 }} />))).toBe('0 ms');
  });
});
