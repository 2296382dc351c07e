import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PAYMENT_TYPES, RISK_TYPES } from '../../shared/events/eventTypes';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type PublishItem } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { paymentEvent, riskEvent } from '../../bench/events';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir();
const t = uniqueTopology('collect');
afterAll(() => deleteTopology(t));

const json = (e: { type: string }): PublishItem => ({ body: JSON.stringify(e), routingKey: e.type });

describe('payops collect against the real broker', () => {
  it('stores every valid event once, quarantines bad input, keeps unknown types, and stats match exactly', async () => {
    await prepareQueue(t);
    const valid = [
      ...PAYMENT_TYPES.flatMap((type) => [paymentEvent(type), paymentEvent(type)]),
      ...RISK_TYPES.flatMap((type) => [riskEvent(type), riskEvent(type)]),
    ];
    const authorizedByCurrency: Record<string, number> = {};
    for (const e of valid) {
      if (e.type === 'payment.authorized') {
        const d = e.data as { currency: string; amount: number };
        authorizedByCurrency[d.currency] = (authorizedByCurrency[d.currency] ?? 0) + d.amount;
      }
    }
    const duplicates = [valid[0], valid[3], valid[3]];
    const unknown = [
      { specversion: '1.0', id: 'u-1', source: 'ops/other', type: 'com.example.heartbeat' },
      { specversion: '1.0', id: 'u-2', source: 'ops/other', type: 'settlement.completed', time: '2026-11-23T05:00:00Z', data: { batch: 7 } },
    ];
    const binary = paymentEvent('payment.captured');
    const binaryItem: PublishItem = {
      body: JSON.stringify(binary.data),
      routingKey: 'payment.captured',
      contentType: 'application/json',
      headers: {
        'cloudEvents:specversion': '1.0',
        'cloudEvents:id': `bin-${binary.id}`,
        'cloudEvents:source': binary.source,
        'cloudEvents:type': 'payment.captured',
        'cloudEvents:time': binary.time,
      },
    };
    const malformed: PublishItem[] = [
      { body: 'this is not json', routingKey: 'payment.authorized' },
      { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), routingKey: 'payment.authorized' },
      json({ ...paymentEvent('payment.authorized'), id: undefined } as never),
      json(paymentEvent('payment.authorized', {}, { amount: 'ten' })),
      json(riskEvent('risk.scored', {}, { score: 'high' })),
      { body: JSON.stringify({ ...paymentEvent('payment.authorized'), padding: 'x'.repeat(5000) }), routingKey: 'payment.authorized' },
    ];
    await publishAll(t.exchange, [...valid.map(json), ...duplicates.map(json), ...unknown.map(json), binaryItem, ...malformed]);

    const db = path.join(dir, 'collect.db');
    const run = await runPayops(['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue,
      '--bind', 'payment.#', '--bind', 'risk.#', '--bind', '#', '--drain', '--max-body-bytes', '4096', '--json']);
    expect(run.stderr).not.toMatch(/guest:guest/);
    expect(run.code).toBe(0);

    const stats = lastJson((await runPayops(['stats', '--db', db, '--json'])).stdout);
    const byType: Record<string, number> = {};
    for (const e of valid) byType[e.type] = (byType[e.type] ?? 0) + 1;
    byType['payment.captured'] += 1;
    byType['com.example.heartbeat'] = 1;
    byType['settlement.completed'] = 1;
    expect(stats).toMatchObject({
      events: valid.length + unknown.length + 1,
      byType,
      quarantined: malformed.length,
      duplicates: duplicates.length,
      unknownTypes: unknown.length,
      authorizedAmountByCurrency: authorizedByCurrency,
    });
    expect(typeof stats.firstEventTime).toBe('string');
    expect(typeof stats.lastEventTime).toBe('string');
  });
});

describe('payops CLI errors', () => {
  it('refuses a bad URL without showing the password', async () => {
    const r = await runPayops(['collect', '--amqp', 'http://user:s3cret@127.0.0.1', '--db', path.join(dir, 'x.db'), '--drain']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/amqp:\/\/ or amqps:\/\//);
    expect(r.stderr + r.stdout).not.toContain('s3cret');
  });
  it('gives up on an unreachable broker after the retry budget, without the password', async () => {
    const r = await runPayops(['collect', '--amqp', 'amqp://guest:hunter2@127.0.0.1:1', '--db', path.join(dir, 'y.db'), '--connect-retries', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach broker amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1.*after 2 attempt/);
    expect(r.stderr).not.toContain('hunter2');
  });
  it('says clearly when the database cannot be written', async () => {
    const r = await runPayops(['collect', '--amqp', AMQP_URL, '--db', '/proc/payops-cannot-write/x.db', '--drain']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open database \/proc\/payops-cannot-write\/x\.db/);
  });
  it('rejects bad flags with usage help and a non-zero exit', async () => {
    const r = await runPayops(['collect', '--amqp', AMQP_URL, '--db', path.join(dir, 'z.db'), '--queue-type', 'lazy']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/queue-type/);
    const missing = await runPayops(['collect', '--db', path.join(dir, 'z.db')], { PAYOPS_AMQP_URL: '' });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--amqp/);
  });
  it('has --help for every command', async () => {
    for (const cmd of ['collect', 'stats']) {
      const r = await runPayops([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: payops ${cmd}`));
    }
  });
});
