// A redrive killed half way (SIGKILL of the CLI process): nothing is lost, and whatever is
// both home and still dead-lettered, or home twice, is named by the audit log; a second
// redrive finishes the job without re-sending what the broker had confirmed, even when the
// log says 'removed' and the removal never reached the broker; and after many random kills
// and a final complete run, home holds every message once (twice only for one the log names
// in doubt: killed between the broker's confirm and its record).
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { runPayops, startPayops } from '../../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { redriveDeadLetters } from '../../core/broker/deadLetterRedrive';
import { ManagementClient } from '../../core/broker/managementClient';
import { managementEndpoint } from '../../core/broker/managementEndpoint';
import { openStore, type Store } from '../../core/store/store';

const mgmt = new ManagementClient(managementEndpoint(AMQP_URL));

/** Ids whose audit steps hold a re-publish with neither a confirm nor a failure before the next one: maybe home, maybe not. */
/** How many re-publishes of a message have no outcome in the log (a kill before their confirm): each may have reached home. */
function inDoubtPublishes(steps: readonly string[]): number {
  return steps.filter((s, i) => {
    if (s !== 'publishing') return false;
    const next = steps.indexOf('publishing', i + 1);
    const after = steps.slice(i + 1, next < 0 ? undefined : next);
    return !after.includes('confirmed') && !after.includes('failed');
  }).length;
}

function inDoubt(steps: readonly string[]): boolean {
  return inDoubtPublishes(steps) > 0;
}

/** Ids re-published after the broker had confirmed an earlier re-publish of them: what must never happen here. */
function resentAfterConfirm(steps: readonly string[]): boolean {
  const c = steps.indexOf('confirmed');
  return c >= 0 && steps.indexOf('publishing', c) >= 0;
}

function record(store: Store, queue: string, id: string, exchange: string, step: 'publishing' | 'confirmed' | 'removed'): void {
  store.redriveAudit.record({ redriveId: 'earlier', at: Date.now(), actor: 'test', messageId: id, fromQueue: queue, toExchange: exchange, toRoutingKey: `payment.authorized.${id}`, step, detail: null });
}

const t = deadLetterTopology('redrivekill');
const dir = tempDir('payops-redrive-kill-');
const ids = Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`);

afterAll(() => deleteDeadLetterTopology(t));

describe('a redrive killed half way', () => {
  it('loses nothing and duplicates nothing the audit log does not show', async () => {
    await fillDeadLetterQueue(t, ids, []);
    const db = `${dir}/console.db`;
    openStore(db).close(); // migrated, so the test can watch the audit log read-only
    const child = startPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--redrive', '--yes', '--rate', '4', '--db', db, '--json']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const reader = openStore(db, { readonly: true });
    try {
      await waitFor(() => reader.redriveAudit.list(1000).filter((r) => r.step === 'removed').length >= 3, `three removals (${stderr})`, 30_000, 5);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    const audit = reader.redriveAudit;
    const stepsOf = (id: string) => audit.stepsOf(t.dlq, id);
    // The broker gives back the killed process's unacknowledged message once it sees the connection gone.
    await waitFor(async () => (await depth(t.dlq)) + (await depth(t.rejectQueue)) >= ids.length, 'the unacknowledged message back', 15_000, 50);
    const home = await drainIds(t.rejectQueue);
    // What is still dead-lettered: read and put back (the broker requeues the killed process's unacked ones).
    const dlqIds = await drainIds(t.dlq);
    // Nothing lost: every id is home or still dead-lettered.
    for (const id of ids) expect(home.includes(id) || dlqIds.includes(id), `${id} lost`).toBe(true);
    // A message both home and still in the dead-letter queue (or home twice) has an audit
    // trail that says so: published (or confirmed) without "removed".
    for (const id of ids) {
      const dup = home.filter((h) => h === id).length + (dlqIds.includes(id) ? 1 : 0) > 1;
      if (dup) expect(stepsOf(id).includes('removed'), `${id} duplicated but the audit log says removed`).toBe(false);
      if (dup) expect(stepsOf(id).includes('publishing'), `${id} duplicated without an audit trail`).toBe(true);
    }
    // Home only once for those the audit log says were removed, and 'removed' means the broker
    // had processed the removal: not in the dead-letter queue any more.
    for (const id of ids.filter((i) => stepsOf(i).includes('removed'))) {
      expect(home.filter((h) => h === id)).toHaveLength(1);
      expect(dlqIds.includes(id), `${id} logged removed but still dead-lettered`).toBe(false);
    }
    reader.close();
  }, 60_000);

  it('a second redrive removes without re-sending what the broker had confirmed', async () => {
    // Reproduce the worst point of a kill: confirmed by the broker, not yet removed.
    const t2 = deadLetterTopology('redriveresume');
    await fillDeadLetterQueue(t2, ['a1', 'a2'], []);
    const store = openStore(`${dir}/resume.db`);
    try {
      store.redriveAudit.record({ redriveId: 'earlier', at: Date.now(), actor: 'test', messageId: 'a1', fromQueue: t2.dlq, toExchange: t2.exchange, toRoutingKey: 'payment.authorized.a1', step: 'publishing', detail: null });
      store.redriveAudit.record({ redriveId: 'earlier', at: Date.now(), actor: 'test', messageId: 'a1', fromQueue: t2.dlq, toExchange: t2.exchange, toRoutingKey: 'payment.authorized.a1', step: 'confirmed', detail: null });
      const r = await redriveDeadLetters({ url: AMQP_URL, queue: t2.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
      expect(r).toMatchObject({ redriven: 1, removedOnly: 1 });
      expect(await drainIds(t2.rejectQueue)).toEqual(['a2']);
      expect(await drainIds(t2.dlq)).toEqual([]);
      expect(store.redriveAudit.stepsOf(t2.dlq, 'a1')).toEqual(['publishing', 'confirmed', 'removed']);
    } finally {
      store.close();
      await deleteDeadLetterTopology(t2);
    }
  }, 60_000);

  it("a removal logged but lost (the ack never reached the broker): removed without re-sending", async () => {
    // The state a kill leaves when it strikes after 'removed' was written and before the ack
    // left the process: confirmed, logged removed, and still in the dead-letter queue.
    const t3 = deadLetterTopology('redrivelostack');
    await fillDeadLetterQueue(t3, ['b1', 'b2', 'b3'], []);
    const store = openStore(`${dir}/lostack.db`);
    try {
      for (const step of ['publishing', 'confirmed', 'removed'] as const) record(store, t3.dlq, 'b1', t3.exchange, step);
      for (const step of ['publishing', 'confirmed'] as const) record(store, t3.dlq, 'b2', t3.exchange, step);
      const r = await redriveDeadLetters({ url: AMQP_URL, queue: t3.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
      expect(r).toMatchObject({ redriven: 1, removedOnly: 2, inDoubt: [] });
      expect(await drainIds(t3.rejectQueue)).toEqual(['b3']); // b1 and b2 were home already: not sent again
      expect(await drainIds(t3.dlq)).toEqual([]);
      expect(store.redriveAudit.stepsOf(t3.dlq, 'b1')).toEqual(['publishing', 'confirmed', 'removed', 'removed']);
    } finally {
      store.close();
      await deleteDeadLetterTopology(t3);
    }
  }, 60_000);

  it('a message sent home and dead-lettered again is sent again (a new death, not a lost removal)', async () => {
    const t4 = deadLetterTopology('redriveagain');
    await fillDeadLetterQueue(t4, ['d1', 'd2'], []);
    const store = openStore(`${dir}/again.db`);
    const conn = await amqp.connect(AMQP_URL);
    try {
      const first = await redriveDeadLetters({ url: AMQP_URL, queue: t4.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
      expect(first).toMatchObject({ redriven: 2, removedOnly: 0 });
      // Home rejects d1 again: the broker dead-letters the redriven copy.
      const ch = await conn.createChannel();
      const back = await ch.get(t4.rejectQueue, { noAck: false });
      expect(back && back.properties.messageId).toBe('d1');
      ch.reject(back as amqp.GetMessage, false);
      await waitFor(async () => (await depth(t4.dlq)) === 1, 'd1 dead-lettered again', 10_000, 20);
      const second = await redriveDeadLetters({ url: AMQP_URL, queue: t4.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
      expect(second).toMatchObject({ redriven: 1, removedOnly: 0, inDoubt: [] });
      expect((await drainIds(t4.rejectQueue)).sort()).toEqual(['d1', 'd2']);
      expect(await depth(t4.dlq)).toBe(0);
    } finally {
      await conn.close().catch(() => undefined);
      store.close();
      await deleteDeadLetterTopology(t4);
    }
  }, 60_000);

  it('after many random kills and a final complete run, home holds every message once', async () => {
    const t5 = deadLetterTopology('redrivekills');
    const many = Array.from({ length: 120 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    await fillDeadLetterQueue(t5, many, []);
    const db = `${dir}/kills.db`;
    openStore(db).close();
    const args = ['dead-letters', t5.dlq, '--amqp', AMQP_URL, '--count', '500', '--redrive', '--yes', '--rate', '60', '--db', db, '--json'];
    try {
      let kills = 0;
      let rounds = 0;
      for (; rounds < 25 && (await depth(t5.dlq)) > 0; rounds++) {
        const child = startPayops(args);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 600));
        if (child.exitCode === null && child.kill('SIGKILL')) kills++;
        await exited;
        // The broker gives back what the killed process held once it sees the connection gone.
        await waitFor(async () => (await depth(t5.dlq)) + (await depth(t5.rejectQueue)) >= many.length, 'the held messages back', 15_000, 20);
      }
      expect(kills).toBeGreaterThan(0);
      const final = await runPayops(args);
      expect(final.code, final.stderr).toBe(0);
      expect(await depth(t5.dlq)).toBe(0);
      const home = await drainIds(t5.rejectQueue);
      const reader = openStore(db, { readonly: true });
      try {
        const stepsOf = (id: string) => reader.redriveAudit.stepsOf(t5.dlq, id);
        for (const id of many) {
          const steps = stepsOf(id);
          expect(resentAfterConfirm(steps), `${id} re-sent after the broker confirmed it: ${steps.join(',')}`).toBe(false);
          const times = home.filter((h) => h === id).length;
          if (inDoubt(steps)) {
            // Killed before the confirm of one re-publish, or (more random kills) of several.
            expect(times, `${id} (in doubt)`).toBeGreaterThanOrEqual(1);
            expect(times, `${id} (in doubt): ${steps.join(',')}`).toBeLessThanOrEqual(1 + inDoubtPublishes(steps));
          } else expect(times, `${id} home ${times} times: ${steps.join(',')}`).toBe(1);
        }
      } finally {
        reader.close();
      }
    } finally {
      await deleteDeadLetterTopology(t5);
    }
  }, 120_000);
});
