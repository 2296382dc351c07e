// Dead letters sent home, against the real broker: messages dead-lettered by a real
// x-dead-letter-exchange (rejected and expired) are browsed without loss, dry-run,
// refused in read-only mode, redriven to their original routing keys, arrive exactly once,
// and leave the dead-letter queue only after the broker confirmed the re-publish.
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue, type DeadLetterTopology } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { openStore, type Store } from '../store/store';
import { browseDeadLetters, dryRun } from './deadLetterBrowse';
import { redriveDeadLetters, RedriveRefusedError } from './deadLetterRedrive';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import amqp from 'amqplib';

const dir = tempDir('payops-redrive-');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const rejected = ['r1', 'r2', 'r3', 'r4', 'r5'];
const expired = ['e1', 'e2', 'e3'];

async function setup(prefix: string): Promise<{ t: DeadLetterTopology; store: Store }> {
  const t = deadLetterTopology(prefix);
  cleanup.push(() => deleteDeadLetterTopology(t));
  await fillDeadLetterQueue(t, rejected, expired);
  const store = openStore(`${dir}/${prefix}.db`);
  cleanup.push(() => store.close());
  return { t, store };
}

describe('dead letters home', () => {
  it('browse without loss, dry run, read-only refusal, redrive exactly once, removal after confirm', async () => {
    const { t, store } = await setup('redrive');
    const mgmt = new ManagementClient(managementEndpoint(AMQP_URL));

    const browsed = await browseDeadLetters(mgmt, t.dlq, 50);
    expect(browsed.map((m) => m.id).sort()).toEqual([...rejected, ...expired].sort());
    expect(await depth(t.dlq)).toBe(8); // browsing consumed nothing
    const r1 = browsed.find((m) => m.id === 'r1')!;
    expect(r1.deaths[0]).toMatchObject({ queue: t.rejectQueue, reason: 'rejected', exchange: t.exchange, routingKeys: ['payment.authorized.r1'], count: 1 });
    expect(r1.origin).toEqual({ exchange: t.exchange, routingKey: 'payment.authorized.r1', queue: t.rejectQueue, reason: 'rejected' });
    expect(r1.decoded).toMatchObject({ ok: true, type: 'payment.authorized', eventId: 'r1', paymentId: 'p-r1', merchantId: 'm1', currency: 'EUR' });
    expect(browsed.find((m) => m.id === 'e2')!.origin).toMatchObject({ routingKey: 'late.e2', reason: 'expired', queue: t.expireQueue });

    const plan = dryRun(browsed);
    expect(plan.wouldStore).toEqual({ 'payment.authorized': 8 });
    expect(plan.targets.reduce((s, x) => s + x.count, 0)).toBe(8);

    const readOnly = await redriveDeadLetters({ url: AMQP_URL, queue: t.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: true }).catch((e: unknown) => e);
    expect(readOnly).toBeInstanceOf(RedriveRefusedError);
    expect((readOnly as Error).message).toContain('read-only mode');
    expect(await depth(t.dlq)).toBe(8);
    expect(store.redriveAudit.list(10)[0]).toMatchObject({ step: 'refused', detail: 'read-only mode' });

    // The expired ones go home to a queue without TTL now (the expiration is not carried), so
    // they stay there; the rejected ones go to the work queue.
    const result = await redriveDeadLetters({ url: AMQP_URL, queue: t.dlq, ids: browsed.map((m) => m.id), audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false, ratePerSecond: 200 });
    expect(result).toMatchObject({ redriven: 8, removedOnly: 0, failed: [], skipped: [], inDoubt: [] });
    expect(result.targets).toHaveLength(8);
    expect(await depth(t.dlq)).toBe(0);
    expect((await drainIds(t.rejectQueue)).sort()).toEqual(rejected);
    expect((await drainIds(t.expireQueue)).sort()).toEqual(expired);
    // Each message: publishing, then confirmed, then removed, in that order.
    for (const id of [...rejected, ...expired]) expect(store.redriveAudit.stepsOf(t.dlq, id)).toEqual(['publishing', 'confirmed', 'removed']);
  }, 60_000);

  it('a selection leaves the rest; an unconfirmable re-publish stays in the dead-letter queue', async () => {
    const { t, store } = await setup('redrivesel');
    const mgmt = new ManagementClient(managementEndpoint(AMQP_URL));
    const conn = await amqp.connect(AMQP_URL);
    // Their home is gone: the original exchange is deleted after they were dead-lettered.
    const ch = await conn.createChannel();
    await ch.deleteExchange(t.exchange);
    await conn.close();
    const result = await redriveDeadLetters({ url: AMQP_URL, queue: t.dlq, ids: ['r1', 'e1'], audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
    expect(result.redriven).toBe(0);
    expect(result.failed.map((f) => f.id).sort()).toEqual(['e1', 'r1']);
    expect(result.failed[0].reason).toMatch(/NOT_FOUND|closed the channel/);
    expect(await depth(t.dlq)).toBe(8); // nothing left without a confirm
    expect(store.redriveAudit.stepsOf(t.dlq, 'r1')).toEqual(['publishing', 'failed']);
    expect(store.redriveAudit.stepsOf(t.dlq, 'r2')).toEqual([]);
  }, 60_000);
});
