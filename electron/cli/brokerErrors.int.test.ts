// A broker that answers and refuses is not "cannot reach broker": refused credentials, an
// unknown vhost and a queue or exchange that exists with other arguments each get their own
// message with a hint and their own exit code (README "Exit codes"), against the real broker.
// The built CLI (`npm run build:core` first), as an operator runs it.
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { DEFAULT_BROKER } from '../core/broker/brokerConfig';
import { testBrokerConnection } from '../core/broker/connectionTest';
import { AMQP_URL, deleteTopology, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops, type CliResult } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-broker-errors-');
const t = uniqueTopology('brokererr');
const tx = uniqueTopology('brokererr-x');
const ts = uniqueTopology('brokererr-retention');
let n = 0;

afterAll(async () => {
  await deleteTopology(t);
  await deleteTopology(tx);
  await deleteTopology(ts, AMQP_URL, [`${ts.queue}.capped`]);
});

/** `payops collect` for one second against `url` with `extra` flags. */
function collect(url: string, extra: string[] = []): Promise<CliResult> {
  return runPayops(['collect', '--amqp', url, '--db', path.join(dir, `c${++n}.db`), '--for', '1', ...extra]);
}

function withPath(url: string, vhost: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(vhost)}`;
  return u.toString();
}

describe('broker refusals', () => {
  it('refused credentials: exit 5, says the login was refused, never shows the password', async () => {
    const password = `Pw${randomBytes(8).toString('hex')}Zq`;
    const u = new URL(AMQP_URL);
    u.username = `payops-nobody-${randomBytes(3).toString('hex')}`;
    u.password = password;
    const r = await collect(u.toString());
    expect(r.stderr).toMatch(/refused the login \(403 ACCESS_REFUSED\): check the user and password/);
    expect(r.stderr).not.toMatch(/cannot reach/);
    expect(r.stdout + r.stderr).not.toContain(password);
    expect(r.code).toBe(5);
  });

  it('an unknown vhost: exit 6, names the vhost and says how to give one', async () => {
    const vhost = `payops-no-such-vhost-${randomBytes(3).toString('hex')}`;
    const r = await collect(withPath(AMQP_URL, vhost));
    expect(r.stderr).toContain(`refused vhost "${vhost}" (530 NOT_ALLOWED`);
    expect(r.stderr).toMatch(/use an existing vhost as the URL's path/);
    expect(r.stderr).not.toMatch(/cannot reach/);
    expect(r.stderr).toContain(':***@'); // the URL is shown redacted
    expect(r.code).toBe(6);
    // The desktop's connection test gives the same hint.
    const test = await testBrokerConnection({ ...DEFAULT_BROKER, url: withPath(AMQP_URL, vhost) });
    expect(test).toMatchObject({ ok: false, message: expect.stringContaining(`refused vhost "${vhost}"`) });
  });

  it('a queue that exists with another type: exit 7 and the flag that matches it', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(t.queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.assertExchange(tx.exchange, 'fanout', { durable: true });
    await conn.close();

    const r = await collect(AMQP_URL, ['--exchange', t.exchange, '--queue', t.queue]);
    expect(r.stderr).toContain(`queue ${t.queue} exists with x-queue-type=quorum; use --queue-type quorum or another --queue`);
    expect(r.stderr).not.toMatch(/cannot reach/);
    expect(r.code).toBe(7);
    // With the type it has, the same queue is accepted.
    const ok = await collect(AMQP_URL, ['--exchange', t.exchange, '--queue', t.queue, '--queue-type', 'quorum']);
    expect(ok.code, ok.stderr).toBe(0);

    // A classic queue declared as a stream, and an exchange of another type, likewise.
    const s = await collect(AMQP_URL, ['--exchange', t.exchange, '--queue', tx.queue, '--queue-type', 'classic']);
    expect(s.code, s.stderr).toBe(0);
    const st = await collect(AMQP_URL, ['--exchange', t.exchange, '--queue', tx.queue, '--queue-type', 'stream']);
    expect(st.stderr).toContain(`queue ${tx.queue} exists with x-queue-type=classic; use --queue-type classic or another --queue`);
    expect(st.code).toBe(7);
    const x = await collect(AMQP_URL, ['--exchange', tx.exchange, '--queue', tx.queue]);
    expect(x.stderr).toContain(`exchange ${tx.exchange} exists with type fanout; use --exchange-type fanout or another --exchange`);
    expect(x.code).toBe(7);
  });

  it('a stream with retention of its own (x-max-age, x-max-length-bytes) is read as it is, by collect and replay --from-stream', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(ts.queue, { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D', 'x-max-length-bytes': 50_000_000 } });
    for (let i = 0; i < 20; i++) ch.sendToQueue(ts.queue, Buffer.from(JSON.stringify(paymentEvent('payment.authorized'))), { contentType: 'application/cloudevents+json' });
    await ch.waitForConfirms();
    // A classic queue with a length limit is still not a stream.
    const capped = `${ts.queue}.capped`;
    await ch.assertQueue(capped, { durable: true, arguments: { 'x-max-length': 100 } });
    await conn.close();

    const c = await collect(AMQP_URL, ['--exchange', ts.exchange, '--queue', ts.queue, '--queue-type', 'stream', '--stream-offset', 'first', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/exists with arguments of its own \(.*x-max-length-bytes=50000000.*\): used as it is/);
    expect(lastJson(c.stdout)).toMatchObject({ events: 20 });
    const r = await runPayops(['replay', '--from-stream', ts.queue, '--amqp', AMQP_URL, '--stream-offset', 'first', '--db', path.join(dir, `r${++n}.db`), '--drain', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ events: 20, stoppedBecause: 'drained' });

    const wrong = await collect(AMQP_URL, ['--exchange', ts.exchange, '--queue', capped, '--queue-type', 'stream']);
    expect(wrong.stderr).toContain(`queue ${capped} exists with x-queue-type=classic; use --queue-type classic or another --queue`);
    expect(wrong.code).toBe(7);
    // replay --from-stream declares nothing: the broker refuses the stream offset, said as such.
    const notStream = await runPayops(['replay', '--from-stream', capped, '--amqp', AMQP_URL, '--db', path.join(dir, `r${++n}.db`), '--drain', '--json']);
    expect(notStream.stderr).toContain(`queue ${capped} is a classic queue, not a stream`);
    expect(notStream.code).toBe(7);
  });
});
