// The dead-letter view's times and counts as the renderer draws them (react-dom/server): its
// tables' times are local, so their headings name the zone (Europe/Berlin: 08:00 UTC is 09:00
// CET) and each cell's title gives the UTC instant; a failed audit read says what to do.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeadLetterMessage, RedriveAuditEntry } from '../../../shared/deadLetters';
import { inTimeZone } from '../../../test/support/timeZone';
import { AuditPanel, MessageTable } from './DeadLetters';
import { redrivePlanText } from './deadLettersModel';

inTimeZone('Europe/Berlin');

const AT = Date.UTC(2026, 10, 23, 8, 0, 0, 250);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const letter: DeadLetterMessage = {
  id: 'd1',
  copyId: 'copy:d1',
  exchange: 'dlx',
  routingKey: 'k',
  deaths: [],
  origin: null,
  decoded: { ok: true, type: 'payment.authorized', eventId: 'd1', timeMs: AT },
  contentType: null,
  bodyPreview: '',
  bytes: 1,
};
const entry: RedriveAuditEntry = { redriveId: 'r1', at: AT, actor: 'ops', messageId: 'd1', fromQueue: 'payments.dlq', toExchange: 'x', toRoutingKey: 'k', step: 'confirmed', detail: null };

describe('dead-letter times', () => {
  it("the messages' Time heading names the zone; a cell's title has the UTC instant", () => {
    const html = renderToStaticMarkup(<MessageTable messages={[letter]} selected={new Set()} onToggle={() => undefined} />);
    expect(text(html)).toContain('Time (GMT+1)');
    expect(html).toContain('title="2026-11-23 09:00:00.250 GMT+1 · 2026-11-23T08:00:00.250Z"');
  });

  it("the audit log's When heading names the zone; a cell's title has the UTC instant", () => {
    const html = renderToStaticMarkup(<AuditPanel entries={[entry]} error={null} onRefresh={() => undefined} />);
    expect(text(html)).toContain('When (GMT+1)');
    expect(html).toContain('title="2026-11-23 09:00:00.250 GMT+1 · 2026-11-23T08:00:00.250Z"');
  });
});

describe('dead-letter states', () => {
  it('a failed audit read says it can be tried again', () => {
    expect(text(renderToStaticMarkup(<AuditPanel entries={null} error="connection lost" onRefresh={() => undefined} />))).toContain(
      'Cannot read the audit log: connection lost. Refresh to try again.',
    );
  });

  it("the dry run's plan counts what stays in the right form", () => {
    const plan = { messages: 3, wouldStore: {}, wouldQuarantine: [], noOrigin: ['k1'], targets: [{ exchange: 'x', routingKey: 'payment.authorized', count: 2 }] };
    expect(redrivePlanText(plan)).toEqual(['A redrive would send 2 to ', { untrusted: 'x / payment.authorized', cut: 'end' }, ' (2)', '; 1 has no x-death origin and would stay.']);
  });
});

describe('dead letters are untrusted text', () => {
  // A dead letter is what failed: its id, payment and merchant come from a producer, and a body
  // that would not decode puts its reason in the Type column. They were drawn raw: an override
  // reversed the cell, a zero-width space made one id read as another.
  it("the message's id, payment, merchant and a refusal reason are isolated, undrawn characters shown", () => {
    const decodedLetter: DeadLetterMessage = { ...letter, id: 'd\u202e1', decoded: { ok: true, type: 'payment.authorized', eventId: 'd1', timeMs: AT, paymentId: 'pay_\u200b1', merchantId: 'קפה', amount: 1250, currency: 'KWD' } };
    const refused: DeadLetterMessage = { ...letter, id: 'd2', copyId: 'copy:d2', decoded: { ok: false, reason: 'data.merchantId: m_\u202e9 is not allowed' } };
    const html = renderToStaticMarkup(<MessageTable messages={[decodedLetter, refused]} selected={new Set()} onToggle={() => undefined} />);
    const cells = html.slice(html.indexOf('<tbody>'));
    expect(text(cells)).not.toMatch(/[\u202e\u200b]/);
    expect(cells).toContain('<bdi>d\\u202e1</bdi>');
    expect(cells).toContain('<bdi>pay_\\u200b1</bdi>');
    expect(cells).toContain('<bdi>קפה</bdi>');
    expect(cells).toContain('m_\\u202e9 is not allowed');
    expect(text(cells)).toContain('1.250 KWD');
  });

  // Before: a death's queue, exchange and routing keys, and the Home they give, were drawn raw: a
  // routing key is the publisher's, any 255 bytes; an override in one turned the line round, and
  // one long key made the x-death column as wide as itself.
  it("each death's queue, exchange and routing keys, and its Home, are isolated and cut, undrawn characters shown", () => {
    const longKey = `payments.${'x'.repeat(200)}`;
    const dead: DeadLetterMessage = {
      ...letter,
      deaths: [{ queue: 'q_\u202e1', reason: 'rejected', count: 2, exchange: 'ex\u202e', routingKeys: ['rk_\u202e2', longKey] }],
      origin: { exchange: 'ex\u202e', routingKey: longKey, queue: 'q_\u202e1', reason: 'rejected' },
    } as DeadLetterMessage;
    const html = renderToStaticMarkup(<MessageTable messages={[dead]} selected={new Set()} onToggle={() => undefined} />);
    const cells = html.slice(html.indexOf('<tbody>'));
    expect(text(cells)).not.toMatch(/[\u202e]/);
    expect(cells).toContain('<bdi class="mono">q_\\u202e1</bdi>');
    expect(cells).toContain('<bdi class="mono">ex\\u202e</bdi>');
    expect(cells).toContain('<bdi>rk_\\u202e2</bdi>');
    expect(text(cells)).not.toContain(longKey);
    expect(cells).toContain(`title="${longKey}"`);
  });

  it("the audit log's message id, queue and target are isolated, undrawn characters shown", () => {
    const html = renderToStaticMarkup(<AuditPanel entries={[{ ...entry, messageId: 'd\u202e1', fromQueue: 'q_\u202e1', toRoutingKey: 'rk_\u202e2' }]} error={null} onRefresh={() => undefined} />);
    const cells = html.slice(html.indexOf('<tbody>'));
    expect(text(cells)).not.toMatch(/[\u202e]/);
    expect(cells).toContain('<bdi>d\\u202e1</bdi>');
    expect(cells).toContain('<bdi>q_\\u202e1</bdi>');
    expect(cells).toContain('<bdi>x / rk_\\u202e2</bdi>');
  });
});

// A screen reader lists a page's tables by their names; these had none.
describe('the dead-letter tables are named', () => {
  it('the messages and the audit log', () => {
    expect(renderToStaticMarkup(<MessageTable messages={[letter]} selected={new Set()} onToggle={() => undefined} />)).toContain('<caption class="sr-only">Dead letters in the queue</caption>');
    expect(renderToStaticMarkup(<AuditPanel entries={[entry]} error={null} onRefresh={() => undefined} />)).toContain('<caption class="sr-only">Redrive audit log, newest first</caption>');
  });
});
