// A redrive killed half way (SIGKILL of the CLI process): nothing is lost, and whatever is
// both home and still dead-lettered, or home twice, is named by the audit log; a second
// redrive finishes the job without re-sending what the broker had confirmed.
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { startPayops } from '../../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { redriveDeadLetters } from '../../core/broker/deadLetterRedrive';
import { openStore } from '../../core/store/store';

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
    // Home only once for those the audit log says were removed.
    for (const id of ids.filter((i) => stepsOf(i).includes('removed'))) expect(home.filter((h) => h === id)).toHaveLength(1);
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
      const r = await redriveDeadLetters({ url: AMQP_URL, queue: t2.dlq, ids: null, audit: store.redriveAudit, actor: 'test', readOnly: false });
      expect(r).toMatchObject({ redriven: 1, removedOnly: 1 });
      expect(await drainIds(t2.rejectQueue)).toEqual(['a2']);
      expect(await drainIds(t2.dlq)).toEqual([]);
      expect(store.redriveAudit.stepsOf(t2.dlq, 'a1')).toEqual(['publishing', 'confirmed', 'removed']);
    } finally {
      store.close();
      await deleteDeadLetterTopology(t2);
    }
  }, 60_000);
});
