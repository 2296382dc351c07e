// Which dead-letter queues may be read and put back (a quorum queue's delivery limit), and how
// a redrive reads the audit steps of the copy of a message it finds.
import { describe, expect, it } from 'vitest';
import { deliveryLimitVerdict, refusalMessage, type DeliveryLimitFacts } from './deadLetterDeliveryLimit';
import { earlierRedrives, redriveHeaders, redrivePublishOf } from './deadLetterMessage';

const quorum = (f: Partial<DeliveryLimitFacts> = {}): DeliveryLimitFacts => ({
  type: 'quorum',
  arguments: { 'x-queue-type': 'quorum' },
  effectivePolicy: null,
  matchingPolicies: [],
  version: '3.10.8',
  ...f,
});

describe('deliveryLimitVerdict', () => {
  it('lets classic queues through, whatever their arguments', () => {
    expect(deliveryLimitVerdict({ ...quorum(), type: 'classic', arguments: { 'x-delivery-limit': 3 } })).toEqual({ safe: true });
    expect(deliveryLimitVerdict({ ...quorum(), type: null, version: null, matchingPolicies: null, effectivePolicy: undefined })).toEqual({ safe: true });
  });

  it('refuses a quorum queue with a limit from its argument, its policy or an operator policy (the smallest)', () => {
    expect(deliveryLimitVerdict(quorum({ arguments: { 'x-delivery-limit': 3 } }))).toMatchObject({ safe: false, limit: 3, source: 'its x-delivery-limit argument' });
    expect(deliveryLimitVerdict(quorum({ effectivePolicy: { 'delivery-limit': 7 } }))).toMatchObject({ safe: false, limit: 7 });
    expect(
      deliveryLimitVerdict(
        quorum({
          arguments: { 'x-delivery-limit': 10 },
          matchingPolicies: [
            { kind: 'policy', name: 'p', definition: { 'delivery-limit': 6 } },
            { kind: 'operator policy', name: 'op', definition: { 'delivery-limit': 2 } },
          ],
        }),
      ),
    ).toMatchObject({ safe: false, limit: 2, source: 'operator policy "op" (delivery-limit)' });
    expect(deliveryLimitVerdict(quorum({ arguments: { 'x-delivery-limit': 0 } }))).toMatchObject({ safe: false, limit: 0 });
  });

  it('lets a quorum queue without a limit through on RabbitMQ 3.x, not on 4.x (default 20) unless -1 says none', () => {
    expect(deliveryLimitVerdict(quorum())).toEqual({ safe: true });
    expect(deliveryLimitVerdict(quorum({ version: '4.0.5' }))).toMatchObject({ safe: false, limit: 20 });
    expect(deliveryLimitVerdict(quorum({ version: '4.1.0', arguments: { 'x-delivery-limit': -1 } }))).toEqual({ safe: true });
    expect(deliveryLimitVerdict(quorum({ version: '4.1.0', effectivePolicy: { 'delivery-limit': -1 } }))).toEqual({ safe: true });
  });

  it('refuses a quorum queue when what would say its limit is unknown', () => {
    expect(deliveryLimitVerdict(quorum({ version: null }))).toMatchObject({ safe: false, limit: null });
    expect(deliveryLimitVerdict(quorum({ effectivePolicy: undefined, matchingPolicies: null }))).toMatchObject({ safe: false, limit: null });
    // One of the two is enough to know there is no policy limit.
    expect(deliveryLimitVerdict(quorum({ effectivePolicy: undefined }))).toEqual({ safe: true });
    expect(deliveryLimitVerdict(quorum({ matchingPolicies: null }))).toEqual({ safe: true });
  });

  it('names the queue, the limit, why and what to do', () => {
    const msg = refusalMessage('orders.dlq', 'browse', { safe: false, limit: 3, source: 'its x-delivery-limit argument' });
    expect(msg).toContain('"orders.dlq"');
    expect(msg).toContain('delivery limit of 3');
    expect(msg).toMatch(/shovel/);
    expect(msg).toMatch(/raise or remove the limit/);
  });
});

describe('earlierRedrives', () => {
  it('the original copy: confirmed means home, even with a removal logged (the ack may be lost)', () => {
    expect(earlierRedrives([], 0)).toEqual({ sentHome: false, inDoubt: false, publishes: 0 });
    expect(earlierRedrives(['publishing', 'confirmed'], 0)).toMatchObject({ sentHome: true });
    expect(earlierRedrives(['publishing', 'confirmed', 'removed'], 0)).toMatchObject({ sentHome: true });
    expect(earlierRedrives(['publishing'], 0)).toMatchObject({ sentHome: false, inDoubt: true });
    expect(earlierRedrives(['publishing', 'failed'], 0)).toMatchObject({ sentHome: false, inDoubt: false });
    expect(earlierRedrives(['publishing', 'publishing', 'confirmed', 'removed'], 0)).toMatchObject({ sentHome: true, publishes: 2 });
  });

  it('a copy sent home and dead-lettered again is sent again; once re-published and confirmed it is home', () => {
    expect(earlierRedrives(['publishing', 'confirmed', 'removed'], 1)).toEqual({ sentHome: false, inDoubt: false, publishes: 1 });
    expect(earlierRedrives(['publishing', 'confirmed', 'removed', 'publishing', 'confirmed', 'removed'], 1)).toMatchObject({ sentHome: true });
    expect(earlierRedrives(['publishing', 'confirmed', 'removed', 'publishing'], 1)).toMatchObject({ sentHome: false, inDoubt: true });
    expect(earlierRedrives(['publishing', 'confirmed', 'removed', 'publishing', 'confirmed', 'removed'], 2)).toMatchObject({ sentHome: false, publishes: 2 });
    // Numbered by another audit log: nothing known here.
    expect(earlierRedrives(['publishing', 'confirmed'], 5)).toEqual({ sentHome: false, inDoubt: false, publishes: 1 });
  });

  it('a copy marked by an older payops (no number) keeps the old rule', () => {
    expect(earlierRedrives(['publishing', 'confirmed'], null)).toMatchObject({ sentHome: true });
    expect(earlierRedrives(['publishing', 'confirmed', 'removed'], null)).toMatchObject({ sentHome: false });
  });

  it('the re-publish is numbered, and the number read back', () => {
    const h = redriveHeaders({ 'x-death': [], 'x-delivery-count': 2, keep: 'me' }, 'rd1', 'q.dlq', 3);
    expect(h).toEqual({ keep: 'me', 'x-payops-redrive': 'rd1', 'x-payops-redriven-from': 'q.dlq', 'x-payops-redrive-publish': 3 });
    expect(redrivePublishOf(h)).toBe(3);
    expect(redrivePublishOf(null)).toBe(0);
    expect(redrivePublishOf({ 'x-payops-redrive': 'old' })).toBeNull();
  });
});
