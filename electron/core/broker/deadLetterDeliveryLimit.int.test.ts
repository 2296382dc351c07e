// Browsing a quorum dead-letter queue must never count toward its delivery limit: against the
// real broker, a quorum queue with a delivery limit (argument or policy) is refused by the
// browse, the dry run and the redrive, in the library, the console's service and the CLI, and
// its depth is unchanged after many attempts (no message was put back even once). A classic
// dead-letter queue browses as before; a quorum queue without a limit (RabbitMQ 3.x) browses,
// showing each message's x-delivery-count.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { answers, startLoopbackHttp } from '../../../test/support/fakeManagementServer';
import { lastJson, runPayops } from '../../../test/support/cli';
import { deadLetterTopology, deleteDeadLetterTopology, depth, fillDeadLetterQueue } from '../../../test/support/deadLetterTopology';
import { tempDir } from '../../../test/support/tempDir';
import { DeadLetterService } from '../deadLetters/deadLetterService';
import { openStore } from '../store/store';
import { browseDeadLetters } from './deadLetterBrowse';
import { assertRequeueSafe, DeliveryLimitRefusal } from './deadLetterDeliveryLimit';
import { redriveDeadLetters, RedriveRefusedError } from './deadLetterRedrive';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const dir = tempDir('payops-dlq-limit-');
const mgmt = new ManagementClient(managementEndpoint(AMQP_URL));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function withChannel<T>(fn: (ch: amqp.ConfirmChannel) => Promise<T>): Promise<T> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    return await fn(await conn.createConfirmChannel());
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** A quorum queue holding `n` messages (ids q0..), deleted after the test. */
async function quorumQueue(args: Record<string, unknown>, n: number): Promise<{ queue: string; ids: string[] }> {
  const queue = `t.dlqlimit.${randomUUID().slice(0, 8)}.dlq`;
  const ids = Array.from({ length: n }, (_, i) => `q${i}`);
  await withChannel(async (ch) => {
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', ...args } });
    for (const id of ids) ch.sendToQueue(queue, Buffer.from(JSON.stringify({ id })), { messageId: id, persistent: true });
    await ch.waitForConfirms();
  });
  cleanup.push(() => withChannel(async (ch) => void (await ch.deleteQueue(queue))));
  return { queue, ids };
}

/** Takes every message (acknowledged) with its x-delivery-count header. */
async function drainWithCounts(queue: string): Promise<{ id: string; deliveryCount: unknown }[]> {
  return withChannel(async (ch) => {
    const out: { id: string; deliveryCount: unknown }[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) return out;
      out.push({ id: String(m.properties.messageId), deliveryCount: m.properties.headers?.['x-delivery-count'] });
    }
  });
}

async function brokerMajor(): Promise<number> {
  const res = await fetch('http://127.0.0.1:15672/api/overview?columns=rabbitmq_version', { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
  return Number(String(((await res.json()) as { rabbitmq_version: string }).rabbitmq_version).split('.')[0]);
}

describe('a quorum dead-letter queue with a delivery limit', () => {
  it('is refused by browse, dry run and redrive (library, console service, CLI); its depth and delivery counts are unchanged', async () => {
    const { queue, ids } = await quorumQueue({ 'x-delivery-limit': 3 }, 12);
    // Five browses: with a requeue each, the broker would have dropped every message by the fourth.
    for (let i = 0; i < 5; i++) {
      const err = await browseDeadLetters(mgmt, queue, 100).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryLimitRefusal);
      expect((err as Error).message).toContain(`"${queue}"`);
      expect((err as Error).message).toContain('delivery limit of 3');
      expect((err as Error).message).toMatch(/shovel .*classic queue|raise or remove the limit/);
      expect(await depth(queue)).toBe(12);
    }

    const store = openStore(`${dir}/${queue}.db`);
    cleanup.push(() => store.close());
    const service = new DeadLetterService({ broker: { url: AMQP_URL }, store, rules: () => [], readOnly: false, actor: 'test' });
    await expect(service.browse({ queue, count: 100 })).rejects.toThrow(/refusing to browse quorum queue .*delivery limit of 3/);
    await expect(service.dryRun({ queue, ids: ['q1'], count: 100 })).rejects.toThrow(/refusing to dry-run quorum queue .*delivery limit of 3/);
    await expect(service.redrive({ queue, ids: ['q1'], ratePerSecond: 100 })).rejects.toThrow(/refusing to redrive quorum queue .*delivery limit of 3/);
    const redrive = await redriveDeadLetters({ url: AMQP_URL, queue, ids: null, audit: store.redriveAudit, management: mgmt, actor: 'test', readOnly: false }).catch((e: unknown) => e);
    expect(redrive).toBeInstanceOf(RedriveRefusedError);
    // Without the management API the queue's type is unknown: refused rather than risk it.
    const blind = await redriveDeadLetters({ url: AMQP_URL, queue, ids: null, audit: store.redriveAudit, management: null, actor: 'test', readOnly: false }).catch((e: unknown) => e);
    expect(blind).toBeInstanceOf(RedriveRefusedError);
    expect((blind as Error).message).toMatch(/without the management API/);
    expect(store.redriveAudit.list(10).map((r) => r.step)).toEqual(['refused', 'refused', 'refused']);

    for (const mode of [[], ['--dry-run'], ['--redrive', '--yes', '--db', `${dir}/${queue}-cli.db`]]) {
      const res = await runPayops(['dead-letters', queue, '--amqp', AMQP_URL, '--count', '100', '--json', ...mode]);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain(`quorum queue "${queue}"`);
      expect(res.stderr).toContain('delivery limit of 3');
      expect(res.stdout).toBe('');
    }
    expect(await depth(queue)).toBe(12);
    // Not one was put back: none carries a delivery count.
    const left = await drainWithCounts(queue);
    expect(left.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(left.filter((m) => m.deliveryCount !== undefined && m.deliveryCount !== 0)).toEqual([]);
  }, 60_000);

  it('is refused when the limit comes from a policy (read at once, before the queue statistics show it)', async () => {
    const { queue } = await quorumQueue({}, 3);
    const policy = `t.dlqlimit.${randomUUID().slice(0, 8)}`;
    const url = `http://127.0.0.1:15672/api/policies/%2F/${encodeURIComponent(policy)}`;
    const auth = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' };
    const put = await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify({ pattern: `^${queue.replace(/\./g, '\\.')}$`, definition: { 'delivery-limit': 5 }, 'apply-to': 'queues', priority: 0 }) });
    expect(put.ok).toBe(true);
    cleanup.push(async () => void (await fetch(url, { method: 'DELETE', headers: auth })));
    for (let i = 0; i < 3; i++) {
      const err = await browseDeadLetters(mgmt, queue, 100).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryLimitRefusal);
      expect((err as Error).message).toMatch(new RegExp(`delivery limit of 5 \\(policy "${policy.replace(/\./g, '\\.')}"`));
    }
    expect(await depth(queue)).toBe(3);
  }, 30_000);

  it('without a limit: browsed on RabbitMQ 3.x (x-delivery-count shown), refused on 4.x (default limit 20)', async () => {
    const { queue } = await quorumQueue({}, 4);
    if ((await brokerMajor()) >= 4) {
      await expect(browseDeadLetters(mgmt, queue, 100)).rejects.toThrow(/delivery limit of 20/);
      return;
    }
    const first = await browseDeadLetters(mgmt, queue, 100);
    expect(first).toHaveLength(4);
    const second = await browseDeadLetters(mgmt, queue, 100);
    expect(second.map((m) => m.deliveryCount)).toEqual([1, 1, 1, 1]); // the first browse's requeue, shown
    expect(await depth(queue)).toBe(4);
  }, 30_000);
});

describe('a classic dead-letter queue', () => {
  it('browses as before: everything, unchanged, as often as asked (library and CLI)', async () => {
    const t = deadLetterTopology('dlqlimitclassic');
    cleanup.push(() => deleteDeadLetterTopology(t));
    await fillDeadLetterQueue(t, ['c1', 'c2', 'c3'], ['c4']);
    for (let i = 0; i < 5; i++) {
      const browsed = await browseDeadLetters(mgmt, t.dlq, 100);
      expect(browsed.map((m) => m.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
      expect(browsed.every((m) => m.deliveryCount === undefined)).toBe(true);
      expect(await depth(t.dlq)).toBe(4);
    }
    for (let i = 0; i < 2; i++) {
      const res = await runPayops(['dead-letters', t.dlq, '--amqp', AMQP_URL, '--count', '100', '--json']);
      expect(res.code, res.stderr).toBe(0);
      expect((lastJson<{ id: string }[]>(res.stdout) as unknown as { id: string }[]).map((m) => m.id).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    }
    expect(await depth(t.dlq)).toBe(4);
  }, 60_000);
});

// The check read the management API with a fetch of its own: any 404 meant "queue not found"
// (a wrong --management address, answering 404 for every path, said the queue was missing),
// a proxy's login page said "Unexpected token '<'...", a 401 said only "HTTP 401", and an
// answer without end was read whole. It now asks through ManagementClient, as every other read.
describe('the delivery-limit check against a management API that answers badly', () => {
  it('names the address, the credentials or the page, never a missing queue, and refuses', async () => {
    const http = await startLoopbackHttp(answers.status(404, '<html><body>Not Found</body></html>', 'text/html'));
    cleanup.push(() => http.close());
    const client = new ManagementClient(managementEndpoint(AMQP_URL, http.url), { timeoutMs: 1500 });
    const refusal = async () => (await assertRequeueSafe(client, 'orders.dlq', 'browse').catch((e: unknown) => e)) as Error;
    const cases: [Parameters<typeof answers.status>, RegExp][] = [
      [[404, '<html><body>Not Found</body></html>', 'text/html'], /answered 404 for \/api\/queues\/%2F\/orders\.dlq: is this the management plugin's address\?/],
      [[200, '<html><form>Sign in</form></html>', 'text/html'], /answered an HTML page, not JSON/],
      [[401, '{"error":"not_authorised","reason":"Login failed"}'], /refused the credentials \(HTTP 401\)/],
    ];
    for (const [answer, said] of cases) {
      http.answer = answers.status(...answer);
      const err = await refusal();
      expect(err, String(answer[0])).toBeInstanceOf(DeliveryLimitRefusal);
      expect(err.message).toMatch(said);
      expect(err.message).not.toMatch(/not found in vhost/);
    }
    // RabbitMQ's own 404 for a queue it does not have (JSON) still says the queue is missing.
    http.answer = answers.status(404, '{"error":"Object Not Found","reason":"Not Found"}');
    expect((await refusal()).message).toBe(`queue "orders.dlq" not found in vhost "/" (management API at ${http.url})`);
  });
});
