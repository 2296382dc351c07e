import { describe, expect, it } from 'vitest';
import { deadLetterExchanges, findDeadLetterQueues, looksLikeDeadLetterQueue } from './deadLetterQueues';

describe('finding dead-letter queues', () => {
  it('reads names that say so, and not names that merely contain the letters', () => {
    for (const name of ['orders.dlq', 'dlq', 'payments-dead-letter', 'x.deadletters', 'q_dead_letter.1']) expect(looksLikeDeadLetterQueue(name)).toBe(true);
    for (const name of ['paydlqueue', 'orders', 'deadline.q']) expect(looksLikeDeadLetterQueue(name)).toBe(false);
  });

  it('follows x-dead-letter-exchange bindings and default-exchange routing keys; named queues first', () => {
    const queues = [
      { name: 'work', messages: 3, arguments: { 'x-dead-letter-exchange': 'dlx' } },
      { name: 'ttl', messages: 0, arguments: { 'x-dead-letter-exchange': 'dlx' } },
      { name: 'direct', messages: 0, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'parking' } },
      { name: 'parked', messages: 7, arguments: {} },
      { name: 'parking', messages: 2, arguments: {} },
      { name: 'a.dlq', messages: 1, arguments: null },
    ];
    expect(deadLetterExchanges(queues)).toEqual(['dlx']);
    const found = findDeadLetterQueues(queues, new Map([['dlx', ['parked']]]), ['mine']);
    expect(found).toEqual([
      { name: 'mine', messages: null, reasons: ['named'], feeders: [] },
      { name: 'a.dlq', messages: 1, reasons: ['name'], feeders: [] },
      { name: 'parked', messages: 7, reasons: ['dead-letter-exchange'], feeders: ['work', 'ttl'] },
      { name: 'parking', messages: 2, reasons: ['dead-letter-exchange'], feeders: ['direct'] },
    ]);
  });
});
