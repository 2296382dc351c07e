// `payops dead-letters --dry-run --json` against the real broker: the plan's fields stay as
// they were (a contract) and the sandbox session's figures come beside them.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { lastJson, runPayops } from '../../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, depth, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';

const t = deadLetterTopology('dlqcli');
const missing = deadLetterTopology('dlqcli-missing');
const capped = deadLetterTopology('dlqcli-count');
afterAll(async () => {
  for (const topology of [t, missing, capped]) await deleteDeadLetterTopology(topology);
});
const dir = tempDir('payops-dlq-cli-');

describe('payops dead-letters --dry-run', () => {
  it('prints the plan unchanged and a sandbox field', async () => {
    await fillDeadLetterQueue(t, ['c1'], ['c2']);
    const res = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--dry-run', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = lastJson(res.stdout);
    expect(Object.keys(out).sort()).toEqual(['messages', 'missing', 'noOrigin', 'sandbox', 'targets', 'wouldQuarantine', 'wouldStore']);
    expect(out).toMatchObject({ messages: 2, wouldStore: { 'payment.authorized': 2 }, wouldQuarantine: [], noOrigin: [] });
    expect(out.sandbox).toMatchObject({ messages: 2, stored: 2, duplicates: 0, quarantined: [] });
    expect(await depth(t.dlq)).toBe(2);
  }, 30_000);
});

// An --id that is not among the browsed messages (a typo, or further down than --count) was
// dropped without a word: the dry run planned the others, and a redrive of it alone asked to
// "redrive 0 message(s)" and exited 0 having sent nothing.
describe('payops dead-letters --id not among the browsed messages', () => {
  it('the dry run names it (missing) and says so; a redrive of nothing found is refused', async () => {
    await fillDeadLetterQueue(missing, ['m1', 'm2'], []);
    const dry = await runPayops(['dead-letters', missing.dlq, '--amqp', AMQP_URL, '--dry-run', '--json', '--id', 'm1', '--id', 'nope']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(lastJson(dry.stdout)).toMatchObject({ messages: 1, missing: ['nope'] });
    expect(dry.stderr).toContain('nope');

    const db = path.join(dir, 'audit.db');
    const redrive = await runPayops(['dead-letters', missing.dlq, '--amqp', AMQP_URL, '--redrive', '--yes', '--db', db, '--id', 'nope', '--count', '1']);
    expect(redrive.code).toBe(1);
    expect(redrive.stderr).toMatch(/nope.*not among the 1 message browsed/);
    expect(await depth(missing.dlq)).toBe(2);
  }, 30_000);
});

// --count above what one browse returns (500) was cut to 500 without a word: a redrive "of the
// queue" sent the first 500 of thousands, and the operator took it for all.
describe('payops dead-letters --count above the most one browse returns', () => {
  it('says it browses only the first 500', async () => {
    await fillDeadLetterQueue(capped, ['k1'], []);
    const res = await runPayops(['dead-letters', capped.dlq, '--amqp', AMQP_URL, '--count', '5000', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('--count 5000: at most 500 messages are browsed at a time');
  }, 30_000);
});

// Two dead letters with one message id could not be told apart: --id selects both. --copy
// picks one, by the copy id browsing prints.
const twins = deadLetterTopology('dlqcli-copy');
afterAll(async () => deleteDeadLetterTopology(twins));
describe('payops dead-letters --copy', () => {
  it('browsing prints each copy id; --copy dry-runs and redrives that copy alone', async () => {
    await fillDeadLetterQueue(twins, ['t1'], ['t1']);
    const browse = await runPayops(['dead-letters', twins.dlq, '--amqp', AMQP_URL, '--json']);
    expect(browse.code, browse.stderr).toBe(0);
    const messages = lastJson(browse.stdout) as { id: string; copyId: string; origin: { routingKey: string } }[];
    const expired = messages.find((m) => m.origin.routingKey === 'late.t1')!;
    const text = await runPayops(['dead-letters', twins.dlq, '--amqp', AMQP_URL]);
    expect(text.stdout).toContain(expired.copyId);

    const dry = await runPayops(['dead-letters', twins.dlq, '--amqp', AMQP_URL, '--dry-run', '--json', '--copy', expired.copyId, '--copy', 'copy:nope']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(lastJson(dry.stdout)).toMatchObject({ messages: 1, targets: [{ routingKey: 'late.t1', count: 1 }], missing: ['copy:nope'] });

    const db = path.join(dir, 'copy.db');
    const redrive = await runPayops(['dead-letters', twins.dlq, '--amqp', AMQP_URL, '--redrive', '--yes', '--db', db, '--json', '--copy', expired.copyId]);
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(lastJson(redrive.stdout)).toMatchObject({ redriven: 1, targets: [{ routingKey: 'late.t1', count: 1 }] });
    expect(await depth(twins.dlq)).toBe(1);
    expect(await depth(twins.expireQueue)).toBe(1);
  }, 30_000);
});

// Browsing printed a message as it came: a card number in its id, its body preview or its
// decoded fields went whole to the terminal (and into the ticket it was pasted into), where an
// export masks it. Now it is masked as exports mask it; --no-mask prints it as received.
const carded = deadLetterTopology('dlqcli-card');
afterAll(() => deleteDeadLetterTopology(carded));
describe('payops dead-letters browsing a message holding a card number', () => {
  it('masks it in the listing and the JSON, not with --no-mask', async () => {
    const pan = '4111111111111111';
    await fillDeadLetterQueue(carded, [pan], []);
    for (const args of [['--json'], [], ['--dry-run', '--json']]) {
      const res = await runPayops(['dead-letters', carded.dlq, '--amqp', AMQP_URL, ...args]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout, args.join(' ')).toContain('41**********1111');
      expect(res.stdout, args.join(' ')).not.toContain(pan);
    }
    const raw = await runPayops(['dead-letters', carded.dlq, '--amqp', AMQP_URL, '--json', '--no-mask']);
    expect(lastJson<{ id: string; bodyPreview: string }[]>(raw.stdout)[0]).toMatchObject({ id: pan, bodyPreview: expect.stringContaining(pan) });
    expect(await depth(carded.dlq)).toBe(1);
  }, 30_000);
});
