// The console's dead-letter service against the real broker: messages dead-lettered by a real
// x-dead-letter-exchange are found and browsed without loss; the dry run's sandbox reports
// what a direct computation says (stored, duplicates of the console's events, quarantined,
// the rules that fire); the redrive sends them home exactly once and the audit lists it.
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/alertRules';
import { decodeMessage } from '../../../shared/events/decode';
import { AMQP_URL } from '../../../test/support/broker';
import { cloudEvent, deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { backtest } from '../alerts/backtest';
import { browseDeadLetterInputs } from '../broker/deadLetterBrowse';
import { managementClientFor } from '../broker/watchedQueues';
import { openStore } from '../store/store';
import { DeadLetterService } from './deadLetterService';

const dir = tempDir('payops-dlq-service-');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const rules = parseRules([
  { name: 'authorizations-seen', description: 'any authorization', severity: 'warning', metric: 'throughput', eventTypes: ['payment.authorized'], condition: { above: 0.01 }, window: '1m' },
]);

describe('dead-letter service', () => {
  it('finds and browses a dead-letter queue, dry-runs it in a sandbox, redrives it once, audits it', async () => {
    const t = deadLetterTopology('dlqsvc');
    cleanup.push(() => deleteDeadLetterTopology(t));
    const rejected = ['r1', 'r2', 'r3'];
    const expired = ['e1', 'e2'];
    await fillDeadLetterQueue(t, rejected, expired);
    // One the broker did not dead-letter (no x-death) and the console cannot decode.
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    ch.sendToQueue(t.dlq, Buffer.from('not json'), { messageId: 'bad1', contentType: 'application/json' });
    await ch.waitForConfirms();
    await conn.close();

    // The console already holds r1: the very event (cloudEvent's time is the clock's, so a
    // new cloudEvent('r1') would be another body under r1's identity, a conflicting duplicate).
    const store = openStore(`${dir}/live.db`);
    cleanup.push(() => store.close());
    const r1 = (await browseDeadLetterInputs(managementClientFor({ url: AMQP_URL })!, t.dlq, 50)).find((m) => m.messageId === 'r1')!;
    const raw = { body: Buffer.from(r1.body), contentType: 'application/cloudevents+json', routingKey: 'payment.authorized', arrivalMs: Date.now() };
    store.ingest.commit([{ raw, result: decodeMessage(raw) }]);

    const service = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => rules, readOnly: false, actor: 'test@host' });

    const { queues } = await service.queues({ named: [] });
    const found = queues.find((q) => q.name === t.dlq);
    expect(found?.reasons).toEqual(['name', 'dead-letter-exchange']);
    expect(found?.feeders.sort()).toEqual([t.expireQueue, t.rejectQueue].sort());

    const { messages } = await service.browse({ queue: t.dlq, count: 50 });
    expect(messages.map((m) => m.id).sort()).toEqual(['bad1', 'e1', 'e2', 'r1', 'r2', 'r3']);
    expect(await depth(t.dlq)).toBe(6); // a browse consumes nothing
    expect(messages.find((m) => m.id === 'r2')!.decoded).toMatchObject({ ok: true, type: 'payment.authorized', paymentId: 'p-r2', merchantId: 'm1', currency: 'EUR' });

    const ids = messages.map((m) => m.id);
    const { plan, sandbox, missing } = await service.dryRun({ queue: t.dlq, ids, count: 50 });
    expect(missing).toEqual([]);
    expect(plan.noOrigin).toEqual(['bad1']);
    // The direct computation: decode each body, drop what the console holds, run the rules over the rest.
    const fresh = ['r2', 'r3', 'e1', 'e2'].map((id) => decodeMessage({ body: cloudEvent(id), arrivalMs: Date.now() })).flatMap((d) => (d.ok ? [d.event] : []));
    const direct = backtest(rules, fresh, { endMs: Math.max(...fresh.map((e) => e.timeMs!)) + 10_000 });
    expect(direct.alerts.length).toBeGreaterThan(0);
    expect(sandbox).toMatchObject({ messages: 6, stored: 4, storedByType: { 'payment.authorized': 4 }, duplicates: 1, duplicateIds: ['r1'], rules: 1 });
    expect(sandbox.quarantined.map((q) => q.id)).toEqual(['bad1']);
    expect(sandbox.alerts.map((a) => a.rule)).toEqual(direct.alerts.map((a) => a.rule));
    expect(store.stats().events).toBe(1); // the dry run wrote nothing to the console's database

    const refusing = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => rules, readOnly: true, actor: 'test@host' });
    await expect(refusing.redrive({ queue: t.dlq, ids, ratePerSecond: 500 })).rejects.toThrow(/read-only mode/);
    expect(await depth(t.dlq)).toBe(6);

    const result = await service.redrive({ queue: t.dlq, ids, ratePerSecond: 500 });
    expect(result).toMatchObject({ redriven: 5, failed: [], inDoubt: [] });
    expect(result.skipped.map((s) => s.id)).toEqual(['bad1']);
    expect(await depth(t.dlq)).toBe(1); // only the one with no origin stays
    expect((await drainIds(t.rejectQueue)).sort()).toEqual(rejected);
    expect((await drainIds(t.expireQueue)).sort()).toEqual(expired);

    const { entries } = service.audit({ limit: 100 });
    const removed = entries.filter((e) => e.redriveId === result.redriveId && e.step === 'removed');
    expect(removed.map((e) => e.messageId).sort()).toEqual(['e1', 'e2', 'r1', 'r2', 'r3']);
    expect(removed[0]).toMatchObject({ actor: 'test@host', fromQueue: t.dlq, toExchange: t.exchange });
    expect(entries.some((e) => e.step === 'refused')).toBe(true);
  }, 30_000);

  it('redrives every selected message of an id the queue holds twice, as a shovel moves every message: the count confirmed is the count sent', async () => {
    const t = deadLetterTopology('dlqdup');
    cleanup.push(() => deleteDeadLetterTopology(t));
    // d1 published twice (a producer's retry): two deliveries, two dead letters with one id.
    await fillDeadLetterQueue(t, ['d1', 'd1', 'k1'], []);
    const store = openStore(`${dir}/dup.db`);
    cleanup.push(() => store.close());
    const service = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => rules, readOnly: false, actor: 'test@host' });
    const { messages } = await service.browse({ queue: t.dlq, count: 50 });
    // What the view confirms: the selected messages with an origin ("Redrive 2 messages").
    const selected = messages.filter((m) => m.id === 'd1');
    expect(selected.filter((m) => m.origin !== null)).toHaveLength(2);
    const result = await service.redrive({ queue: t.dlq, ids: selected.map((m) => m.id), ratePerSecond: 500 });
    expect(result).toMatchObject({ redriven: 2, removedOnly: 0, failed: [], inDoubt: [], skipped: [] });
    expect(result.targets).toEqual([{ exchange: t.exchange, routingKey: 'payment.authorized.d1', count: 2 }]);
    expect(await drainIds(t.rejectQueue)).toEqual(['d1', 'd1']);
    expect(await drainIds(t.dlq)).toEqual(['k1']); // not selected: stays
    const published = service.audit({ limit: 100 }).entries.filter((e) => e.redriveId === result.redriveId && e.step === 'confirmed');
    expect(published.map((e) => e.messageId)).toEqual(['d1', 'd1']);
  }, 30_000);
});

describe('two dead-lettered copies of one message id', () => {
  it('are their own copies across separate redrives: the second redrive sends the second copy home, its audit not read as the first one', async () => {
    const t = deadLetterTopology('dlqcopies');
    cleanup.push(() => deleteDeadLetterTopology(t));
    // One id dead-lettered twice: rejected from the work queue, expired from the TTL queue.
    await fillDeadLetterQueue(t, ['d1'], ['d1']);
    const store = openStore(`${dir}/copies.db`);
    cleanup.push(() => store.close());
    const service = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => rules, readOnly: false, actor: 'test@host' });
    const { messages } = await service.browse({ queue: t.dlq, count: 50 });
    expect(messages.map((m) => m.id)).toEqual(['d1', 'd1']);
    expect(new Set(messages.map((m) => m.copyId)).size).toBe(2);

    const first = await service.redrive({ queue: t.dlq, ids: ['d1'], copies: [], ratePerSecond: 500 });
    expect(first).toMatchObject({ redriven: 1, removedOnly: 0 });
    const second = await service.redrive({ queue: t.dlq, ids: ['d1'], copies: [], ratePerSecond: 500 });
    // Before: the second copy read the first one's 'confirmed' as its own and was removed, never sent.
    expect(second).toMatchObject({ redriven: 1, removedOnly: 0, inDoubt: [] });
    expect(await drainIds(t.rejectQueue)).toEqual(['d1']);
    expect(await drainIds(t.expireQueue)).toEqual(['d1']);
    expect(await depth(t.dlq)).toBe(0);
    const confirmed = service.audit({ limit: 100 }).entries.filter((e) => e.step === 'confirmed');
    expect(confirmed.map((e) => e.copyId).sort()).toEqual(messages.map((m) => m.copyId).sort());
  }, 30_000);

  it('can be selected one by one: a dry run and a redrive of one copy leave the other in the queue', async () => {
    const t = deadLetterTopology('dlqpick');
    cleanup.push(() => deleteDeadLetterTopology(t));
    await fillDeadLetterQueue(t, ['d1'], ['d1']);
    const store = openStore(`${dir}/pick.db`);
    cleanup.push(() => store.close());
    const service = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => rules, readOnly: false, actor: 'test@host' });
    const { messages } = await service.browse({ queue: t.dlq, count: 50 });
    const expired = messages.find((m) => m.origin?.reason === 'expired')!;
    const dry = await service.dryRun({ queue: t.dlq, ids: [], copies: [expired.copyId], count: 50 });
    expect(dry.plan).toMatchObject({ messages: 1, targets: [{ exchange: t.exchange, routingKey: 'late.d1', count: 1 }] });
    expect(dry.missing).toEqual([]);
    const result = await service.redrive({ queue: t.dlq, ids: [], copies: [expired.copyId], ratePerSecond: 500 });
    expect(result).toMatchObject({ redriven: 1, targets: [{ exchange: t.exchange, routingKey: 'late.d1', count: 1 }] });
    expect(await drainIds(t.expireQueue)).toEqual(['d1']);
    const left = (await service.browse({ queue: t.dlq, count: 50 })).messages;
    expect(left.map((m) => m.copyId)).toEqual(messages.filter((m) => m !== expired).map((m) => m.copyId));
    const gone = await service.dryRun({ queue: t.dlq, ids: [], copies: [expired.copyId], count: 50 });
    expect(gone.missing).toEqual([expired.copyId]);
  }, 30_000);
});
