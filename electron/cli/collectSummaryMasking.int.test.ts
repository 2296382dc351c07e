// `payops collect --json` printed its summary with the database's counts by event type as stored:
// a producer's type holding a card number ("note.4111111111111111") went whole to stdout, where
// `payops stats` and a report mask it. Now the summary is masked as `replay`'s is. Real broker,
// real SQLite file, the built CLI (`npm run build:core` first).
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-collect-summary-');
const t = uniqueTopology('collect-summary');
afterAll(() => deleteTopology(t));

describe('payops collect --json summary', () => {
  it('masks a card number in an event type, as stats does', async () => {
    await prepareQueue(t);
    const type = 'note.4111111111111111';
    await publishAll(t.exchange, [
      { body: JSON.stringify(paymentEvent('payment.authorized')), routingKey: 'payment.authorized' },
      { body: JSON.stringify({ specversion: '1.0', id: 'u-1', source: 'ops/other', type, time: '2026-11-23T05:00:00Z', data: {} }), routingKey: 'note' },
    ]);
    const run = await runPayops(['collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'c.db'), '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--drain', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = lastJson<{ events: number; byType: Record<string, number> }>(run.stdout);
    expect(summary.events).toBe(2);
    expect(summary.byType).toMatchObject({ 'payment.authorized': 1, 'note.41**********1111': 1 });
    expect(run.stdout).not.toContain('4111111111111111');
  }, 60_000);
});
