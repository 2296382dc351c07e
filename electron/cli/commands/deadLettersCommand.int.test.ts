// `payops dead-letters --dry-run --json` against the real broker: the plan's fields stay as
// they were (a contract) and the sandbox session's figures come beside them.
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { lastJson, runPayops } from '../../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, depth, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';

const t = deadLetterTopology('dlqcli');
afterAll(() => deleteDeadLetterTopology(t));

describe('payops dead-letters --dry-run', () => {
  it('prints the plan unchanged and a sandbox field', async () => {
    await fillDeadLetterQueue(t, ['c1'], ['c2']);
    const res = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--dry-run', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = lastJson(res.stdout);
    expect(Object.keys(out).sort()).toEqual(['messages', 'noOrigin', 'sandbox', 'targets', 'wouldQuarantine', 'wouldStore']);
    expect(out).toMatchObject({ messages: 2, wouldStore: { 'payment.authorized': 2 }, wouldQuarantine: [], noOrigin: [] });
    expect(out.sandbox).toMatchObject({ messages: 2, stored: 2, duplicates: 0, quarantined: [] });
    expect(await depth(t.dlq)).toBe(2);
  }, 30_000);
});
