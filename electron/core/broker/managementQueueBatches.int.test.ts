// The management client asking the real broker for many watched queues at once: names that
// need much URL-encoding do not make a request line the API refuses (414), and a vhost's
// hundreds of queues are read in a few listing pages rather than one filtered request per 50.
// The requests go through a real loopback HTTP server that forwards them to the management API
// and counts them.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { startLoopbackHttp, type LoopbackHttp } from '../../../test/support/fakeManagementServer';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';

const API = 'http://127.0.0.1:15672';
const AUTH = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
const vhost = `t.batches.${randomBytes(4).toString('hex')}`;
const vhostUrl = `${AMQP_URL}/${encodeURIComponent(vhost)}`;
// 247 bytes each, most of them two-byte characters: ~740 characters once URL-encoded.
const longNames = Array.from({ length: 20 }, (_, i) => `long${String(i).padStart(2, '0')}.${'é'.repeat(120)}`);
const manyNames = Array.from({ length: 300 }, (_, i) => `many.${String(i).padStart(4, '0')}`);
let proxy: LoopbackHttp;

async function api(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
}

beforeAll(async () => {
  await api('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
  await api('PUT', `/api/permissions/${encodeURIComponent(vhost)}/guest`, { configure: '.*', write: '.*', read: '.*' });
  const conn = await amqp.connect(vhostUrl);
  const ch = await conn.createChannel();
  await Promise.all([...longNames, ...manyNames].map((q) => ch.assertQueue(q, { durable: false })));
  for (const q of [...longNames, ...manyNames.slice(0, 10)]) ch.sendToQueue(q, Buffer.from('x'));
  await ch.close();
  await conn.close();
  proxy = await startLoopbackHttp((req, res) => {
    void fetch(`${API}${req.url ?? ''}`, { headers: { authorization: req.headers.authorization ?? '', accept: 'application/json' } }).then(async (answer) => {
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
  });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await api('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`);
});

describe('management client: many watched queues', () => {
  it('finds 20 queues whose names URL-encode to ~740 characters each, all of them through the API', async () => {
    const client = new ManagementClient(managementEndpoint(vhostUrl, API), { timeoutMs: 10_000 });
    const found = await client.queues(longNames);
    expect([...found.keys()].sort()).toEqual([...longNames].sort());
  });

  it('reads 300 queues of a vhost in a couple of requests, not one per 50 names', async () => {
    const client = new ManagementClient(managementEndpoint(vhostUrl, proxy.url), { timeoutMs: 10_000 });
    proxy.requests.length = 0;
    const found = await client.queues(manyNames);
    expect(found.size).toBe(manyNames.length);
    expect(found.get('many.0000')?.name).toBe('many.0000');
    expect(proxy.requests.length).toBeLessThanOrEqual(2);
  });
});
