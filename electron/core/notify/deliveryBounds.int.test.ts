// A receiver's answer is read only up to MAX_RESPONSE_BYTES, decompressed, and the rest is
// cancelled: real HTTP receivers on loopback answer 200 with a 256 MB body, 200 with a gzip
// bomb (a small body that inflates to 128 MB) and 500 with a huge error page. Each delivery
// completes, logged as it should be, having read at most the bound; the huge body's sender
// sees the connection closed long before it is done; the token is in no line or log row.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { MAX_RESPONSE_BYTES, type AttemptReport } from './delivery';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const TOKEN_PATH = '/services/T0001/B0002/XyZ123secretTOKEN456';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const BOMB = zlib.gzipSync(Buffer.alloc(128 << 20, 0), { level: 9 });

interface HugeReceiver {
  url: string;
  /** Body bytes the receiver managed to hand to the socket, per request. */
  written: number[];
  requests: number;
}

/** `mode`: 200 + 256 MB streamed, 200 + gzip bomb, 500 + 256 MB streamed. */
async function hugeReceiver(mode: 'big' | 'bomb' | 'big500'): Promise<HugeReceiver> {
  const r: HugeReceiver = { url: '', written: [], requests: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      r.requests++;
      const slot = r.written.push(0) - 1;
      if (mode === 'bomb') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': BOMB.length });
        res.end(BOMB);
        r.written[slot] = BOMB.length;
        return;
      }
      res.writeHead(mode === 'big500' ? 500 : 200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1 << 20, 'x');
      chunk.write(`error page for ${TOKEN_PATH} `);
      let sent = 0;
      const pump = () => {
        while (sent < 256 && !res.destroyed) {
          sent++;
          r.written[slot] += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return r;
}

function hub(receiverUrl: string, maxAttempts: number) {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '20s', maxAttempts }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: 0, groupInterval: '5m' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const log: NotificationLogEntry[] = [];
  const attempts: AttemptReport[] = [];
  const lines: string[] = [];
  const h = new NotificationHub({
    routing: v.config,
    urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: `${receiverUrl}${TOKEN_PATH}` }),
    log: (e) => log.push({ ...e, id: log.length + 1 }),
    dryRun: false,
    backoff: { initialMs: 10, maxMs: 20, jitter: 0 },
    warn: (l) => lines.push(l),
    onAttempt: (a) => attempts.push(a),
  });
  closers.push(() => h.stop());
  return { hub: h, log, attempts, lines };
}

const firing: AlertNotification = { kind: 'firing', rule: 'declines', severity: 'critical', labels: {}, value: 0.6, summary: 'declines', at: T0 };

describe('a receiver answer is read only up to a bound', () => {
  it.each([
    ['200 with a 256 MB body', 'big' as const],
    ['200 with a gzip bomb (128 MB inflated)', 'bomb' as const],
  ])('%s: sent, at most MAX_RESPONSE_BYTES read, the rest cancelled', async (_what, mode) => {
    const receiver = await hugeReceiver(mode);
    const { hub: h, log, attempts } = hub(receiver.url, 3);
    h.observe(firing);
    h.advanceTo(T0 + 1000);
    await h.delivery.idle();
    expect(log.map((e) => [e.outcome, e.attempt, e.final, e.httpStatus, e.error])).toEqual([['sent', 1, true, 200, null]]);
    expect(attempts).toHaveLength(1);
    expect(attempts[0].bytesRead).toBeGreaterThan(0);
    expect(attempts[0].bytesRead).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(attempts[0].truncated).toBe(true);
    expect(attempts[0].excerpt.length).toBeLessThanOrEqual(203);
    if (mode === 'big') {
      // The sender's 256 MB never all left: the connection was closed under it.
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.written[0]).toBeLessThan(64 << 20);
    }
  }, 60_000);

  it('500 with a 256 MB error page: each attempt reads at most the bound; the final failure line quotes a short excerpt, the token redacted', async () => {
    const receiver = await hugeReceiver('big500');
    const { hub: h, log, attempts, lines } = hub(receiver.url, 2);
    h.observe(firing);
    h.advanceTo(T0 + 1000);
    await h.delivery.idle();
    expect(log.map((e) => [e.outcome, e.attempt, e.final, e.httpStatus, e.error])).toEqual([
      ['failed', 1, false, 500, 'HTTP 500'],
      ['failed', 2, true, 500, 'HTTP 500'],
    ]);
    expect(attempts.map((a) => [a.bytesRead <= MAX_RESPONSE_BYTES, a.truncated])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notification not delivered to contact point "oncall" \(webhook, firing declines\) after 2 of 2 attempts: HTTP 500; the receiver answered: "error page for \/<secret> x+\.\.\."$/);
    expect(lines[0].length).toBeLessThan(400);
    const text = JSON.stringify({ lines, log, attempts });
    expect(text).not.toContain('secretTOKEN');
  }, 60_000);
});
