// The text output of the broker commands prints names the broker and the producers chose: a
// queue name (any UTF-8 the broker accepts), a message id, a routing key recorded in x-death.
// A name with terminal control sequences (ESC, BEL), a bidirectional override or a line break
// must reach the operator's terminal as visible text. --json stays as it was. Runs the built
// CLI (`npm run build:core` first) against the real broker, with uniquely named queues.
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, fillDeadLetterQueue } from '../../test/support/deadLetterTopology';

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = '\u001b[2J\u001b]0;owned\u0007\u202e\nFAKE';
const queue = `${uniqueTopology('termtext').queue}${HOSTILE}`;
const t = deadLetterTopology('termtext');
const id = `c1${HOSTILE}`;

afterAll(async () => {
  const c = await amqp.connect(AMQP_URL);
  await (await c.createChannel()).deleteQueue(queue);
  await c.close();
  await deleteDeadLetterTopology(t);
});

const expectVisible = (text: string) => {
  expect(text).not.toMatch(RAW);
  expect(text.split('\n').some((l) => l.startsWith('FAKE'))).toBe(false);
};

describe('text output of names from the broker', () => {
  it('queues: a queue name is escaped in the table', async () => {
    const c = await amqp.connect(AMQP_URL);
    await (await c.createChannel()).assertQueue(queue, { durable: false });
    await c.close();
    const r = await runPayops(['queues', '--amqp', AMQP_URL, '--management', 'off', '--watch', queue, '--sample', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\\u001b[2J\\u001b]0;owned\\u0007\\u202e\\u000aFAKE');
    expectVisible(r.stdout);
    expectVisible(r.stderr);
    const json = await runPayops(['queues', '--amqp', AMQP_URL, '--management', 'off', '--watch', queue, '--sample', '1', '--json']);
    expect(lastJson<{ name: string }[]>(json.stdout)[0].name).toBe(queue);
  }, 60_000);

  it('dead-letters: a message id and routing key are escaped when browsing and in the dry run', async () => {
    await fillDeadLetterQueue(t, [id], []);
    const browse = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL]);
    expect(browse.code, browse.stderr).toBe(0);
    expect(browse.stdout).toContain('c1\\u001b[2J\\u001b]0;owned\\u0007\\u202e\\u000aFAKE');
    expect(browse.stdout.trim().split('\n')).toHaveLength(1);
    expectVisible(browse.stdout);
    const dry = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expectVisible(dry.stdout);
    // Still JSON, and the same as --json says.
    const json = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--dry-run', '--json']);
    const parsed = JSON.parse(dry.stdout) as { sandbox: unknown };
    const exact = lastJson<{ sandbox: unknown }>(json.stdout);
    expect({ ...parsed, sandbox: null }).toEqual({ ...exact, sandbox: null });
    // --json writes the bidi control as \u202e: the exact id to a JSON reader, inert on a terminal.
    expect(json.stdout).not.toContain('\u202e');
    expect(json.stdout).toContain('\\u202e');
    expect(JSON.stringify(exact)).toContain('\u202e');
  }, 60_000);
});
