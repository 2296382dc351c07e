// A management API that answers badly never stops ingest: `payops collect` with a management
// URL that returns a 401, or an HTML page, stores every event, and says in its log why the
// queue figures come from a passive declare.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { answers, startLoopbackHttp } from '../../test/support/fakeManagementServer';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir();
const topologies: ReturnType<typeof uniqueTopology>[] = [];
afterAll(async () => {
  for (const t of topologies) await deleteTopology(t);
});

describe('collect with a management API that answers badly', () => {
  for (const [what, answer, says] of [
    ['401', answers.status(401, '{"error":"not_authorised"}'), /refused the credentials \(HTTP 401\)/],
    ['an HTML page', answers.status(200, '<html>login</html>', 'text/html'), /HTML page, not JSON/],
  ] as const) {
    it(`${what}: every event stored, the log says why rates are missing`, async () => {
      const t = uniqueTopology('mgmtdown');
      topologies.push(t);
      await prepareQueue(t);
      const http = await startLoopbackHttp(answer);
      try {
        const events = Array.from({ length: 200 }, () => paymentEvent('payment.authorized'));
        await publishAll(t.exchange, events.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
        const db = path.join(dir, `${what.replace(/\W/g, '')}.db`);
        const run = await runPayops(['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#',
          '--management', http.url, '--drain', '--json']);
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(/rates need the management plugin/);
        expect(run.stderr).toMatch(says);
        expect(http.requests.length).toBeGreaterThan(0);
        const stats = await runPayops(['stats', '--db', db, '--json']);
        expect(lastJson<{ events: number }>(stats.stdout).events).toBe(200);
      } finally {
        await http.close();
      }
    }, 60_000);
  }
});
