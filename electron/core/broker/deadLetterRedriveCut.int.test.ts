// A redrive whose connection is lost after a re-publish reached the broker but before its
// confirm came back: the message is home, and (its get never acknowledged) back in the
// dead-letter queue too. The audit log said 'failed' ("left in the dead-letter queue"), as if
// the broker had refused it, so the next redrive sent it home a second time without saying it
// might be there already. A lost connection is no refusal: the message is now left in doubt
// (its 'publishing' has no outcome), the redrive stops saying so, and the next one names it
// in doubt. Real broker, behind a loopback proxy the test cuts.
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { deadLetterTopology, deleteDeadLetterTopology, depth, drainIds, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { startTcpProxy } from '../../../test/support/tcpProxy';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { openStore } from '../store/store';
import { redriveDeadLetters, type RedriveAuditLog } from './deadLetterRedrive';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const dir = tempDir('payops-redrive-cut-');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('a redrive that loses its connection between a re-publish and its confirm', () => {
  it('leaves the message in doubt, stops saying so, and the next redrive names it in doubt', async () => {
    const t = deadLetterTopology('redrivecut');
    cleanup.push(() => deleteDeadLetterTopology(t));
    await fillDeadLetterQueue(t, ['c0', 'c1'], []);
    const store = openStore(`${dir}/cut.db`);
    cleanup.push(() => store.close());
    const proxy = await startTcpProxy();
    cleanup.push(() => proxy.close());
    const mgmt = new ManagementClient(managementEndpoint(AMQP_URL));

    // The broker's answers (the confirm among them) stop at the first 'publishing'; once the
    // re-published copy is in its home queue, the connection is cut.
    let cutDone: Promise<void> | null = null;
    const audit: RedriveAuditLog = {
      record(row) {
        store.redriveAudit.record(row);
        if (row.step === 'publishing' && !cutDone) {
          proxy.hold();
          cutDone = waitFor(async () => (await depth(t.rejectQueue)) >= 1, 'the copy home').then(() => proxy.cut());
        }
      },
      historyOf: (queue, id) => store.redriveAudit.historyOf(queue, id),
    };
    const first = await redriveDeadLetters({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, queue: t.dlq, ids: null, audit, management: mgmt, actor: 'test', readOnly: false }).catch((e: unknown) => e as Error);
    await cutDone;
    expect(first).toBeInstanceOf(Error);
    const firstId = (await drainIds(t.rejectQueue))[0];
    expect(['c0', 'c1']).toContain(firstId);
    expect((first as Error).message).toContain(`"${firstId}" may be both home and still in the dead-letter queue`);
    expect(store.redriveAudit.stepsOf(t.dlq, firstId)).toEqual(['publishing']);
    // Given back by the broker when the connection went: both still dead-lettered.
    await waitFor(async () => (await depth(t.dlq)) === 2, 'both back in the dead-letter queue');

    proxy.restore();
    const second = await redriveDeadLetters({ url: AMQP_URL, queue: t.dlq, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false });
    expect(second).toMatchObject({ redriven: 2, failed: [], inDoubt: [firstId] });
    expect(await depth(t.dlq)).toBe(0);
  }, 60_000);
});
