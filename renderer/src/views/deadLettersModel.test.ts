import { describe, expect, it } from 'vitest';
import type { DeadLetterMessage } from '../../../shared/deadLetters';
import { dryRunStatus, eventColumns, type LinePart, parseNamedQueues, redriveConfirmation, redriveStatus, selectedCopies } from './deadLettersModel';

/** A queue's name as a line holds it: a part of its own, cut in its middle where drawn. */
const queue = (name: string): LinePart => ({ untrusted: name, cut: 'middle' });
/** A line's text, each name as written. */
const written = (...parts: LinePart[]) => parts.map((p) => (typeof p === 'string' ? p : p.untrusted)).join('');

function message(id: string, origin: { exchange: string; routingKey: string } | null, decoded: DeadLetterMessage['decoded'] = { ok: true, type: 'payment.authorized', eventId: id }, copyId = `copy:${id}`): DeadLetterMessage {
  return {
    id,
    copyId,
    exchange: 'dlx',
    routingKey: 'k',
    deaths: [],
    origin: origin && { ...origin, queue: 'work', reason: 'rejected' },
    decoded,
    contentType: null,
    bodyPreview: '',
    bytes: 1,
  };
}

describe('dead-letter view model', () => {
  it('selects one of two messages with one id: a row is one copy, and the request names copies', () => {
    const rejected = message('d1', { exchange: 'x', routingKey: 'payment.authorized' }, undefined, 'copy:a');
    const expired = message('d1', { exchange: 'x', routingKey: 'late.d1' }, undefined, 'copy:b');
    const { chosen, request } = selectedCopies([rejected, expired, message('k1', null)], new Set(['copy:b']));
    expect(chosen).toEqual([expired]);
    expect(request).toEqual({ copies: ['copy:b'] });
    expect(redriveConfirmation('dlq', chosen).targets).toEqual([{ target: { untrusted: 'x / late.d1', cut: 'end' }, count: 1 }]);
  });

  it('names the count and each target of a redrive, and what stays', () => {
    const c = redriveConfirmation('orders.dlq', [
      message('a', { exchange: 'payments', routingKey: 'payment.authorized' }),
      message('b', { exchange: 'payments', routingKey: 'payment.authorized' }),
      message('c', { exchange: '', routingKey: 'work' }),
      message('d', null),
    ]);
    expect(c.count).toBe(3);
    expect(c.title).toEqual(['Redrive 3 messages from ', queue('orders.dlq'), '?']);
    expect(c.targets.map((t) => [written(t.target), t.count])).toEqual([['payments / payment.authorized', 2], ['(default exchange) / work', 1]]);
    expect(written(...(c.staying ?? []))).toBe('1 selected message has no x-death origin and will stay in orders.dlq.');
    expect(written(...redriveConfirmation('q', [message('a', { exchange: 'x', routingKey: 'k' })]).title)).toBe('Redrive 1 message from q?');
  });

  it('shows amounts with the currency’s own decimals, and a quarantine reason in place of the type', () => {
    const jpy = message('j', null, { ok: true, type: 'payment.authorized', eventId: 'j', paymentId: 'p1', merchantId: 'm1', amount: 13367, currency: 'JPY', timeMs: 5 });
    expect(eventColumns(jpy)).toEqual({ type: 'payment.authorized', paymentId: 'p1', merchantId: 'm1', amount: '13,367 JPY', timeMs: 5 });
    expect(eventColumns(message('e', null, { ok: true, type: 'payment.failed', eventId: 'e', amount: 1250, currency: 'KWD' })).amount).toBe('1.250 KWD');
    expect(eventColumns(message('q', null, { ok: false, reason: 'not JSON' })).type).toBe('quarantine: not JSON');
  });

  it('reads the stored list of named queues, ignoring what it cannot read', () => {
    expect(parseNamedQueues('["a.dlq"," b ","a.dlq",3]')).toEqual(['a.dlq', 'b']);
    expect(parseNamedQueues('{')).toEqual([]);
    expect(parseNamedQueues(null)).toEqual([]);
  });
});

describe('status lines count in the right form', () => {
  const result = { redriveId: 'r1', redriven: 1, removedOnly: 0, skipped: [], failed: [], inDoubt: [], targets: [] };
  it('a redrive of one message, of several, and what stays', () => {
    expect(redriveStatus('payments.dlq', result)).toEqual(['Redriven 1 message from ', queue('payments.dlq'), ' (confirmed by the broker, then removed)', '.']);
    expect(written(...redriveStatus('payments.dlq', { ...result, redriven: 1200 }))).toContain('Redriven 1,200 messages from payments.dlq');
    const failed = { ...result, redriven: 0, failed: [{ id: 'a', reason: 'nack' }], skipped: [{ id: 'b', reason: 'no origin' }] };
    expect(written(...redriveStatus('payments.dlq', failed))).toBe(
      'Redriven 0 messages from payments.dlq (confirmed by the broker, then removed); 1 failed and stays in payments.dlq; 1 skipped (no x-death origin).',
    );
  });
  it('a dry run of one message', () => {
    expect(dryRunStatus(1)).toEqual(['Dry run of 1 message done: nothing was sent or stored.']);
    expect(dryRunStatus(2000)).toEqual(['Dry run of 2,000 messages done: nothing was sent or stored.']);
  });
});
