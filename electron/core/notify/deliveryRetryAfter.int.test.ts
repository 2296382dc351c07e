// A rate-limited receiver (429 or 503 with Retry-After, as Slack, PagerDuty and Opsgenie
// answer): the retry waits what the receiver asked, so the message gets through instead of
// spending every attempt inside the receiver's window. Real HTTP receivers on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { waitFor } from '../../../test/support/waitFor';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const TOKEN_PATH = '/services/T0001/B0002/XyZ123secretTOKEN456';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

const note = (s: number): AlertNotification => ({ kind: 'firing', rule: 'failures', severity: 'critical', labels: { merchant: 'm_1' }, value: 0.5, summary: 'FIRING failures', at: T0 + s * 1000 });

/**
 * A receiver that refuses every request for `windowMs` after a refusal, saying so in
 * Retry-After (`header` writes the value), and takes the first request after the window.
 */
async function rateLimited(status: number, windowMs: number, header: (untilMs: number) => string) {
  const seen: { at: number; status: number }[] = [];
  let limitedUntil = 0;
  let first = true;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = Date.now();
      if (first || now < limitedUntil) {
        first = false;
        limitedUntil = Math.max(limitedUntil, now + windowMs);
        seen.push({ at: now, status });
        res.writeHead(status, { 'retry-after': header(limitedUntil), 'content-type': 'text/plain' }).end('slow down');
        return;
      }
      seen.push({ at: now, status: 200 });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function hubFor(url: string, log: NotificationLogEntry[]) {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 3 }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const hub = new NotificationHub({
    routing: v.config,
    urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: url + TOKEN_PATH }),
    log: (e) => log.push({ ...e, id: log.length + 1 }),
    dryRun: false,
    // The usual schedule would retry well inside the receiver's window (20 ms, 40 ms).
    backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  });
  open.push({ close: () => hub.stop(0) });
  return hub;
}

describe('Retry-After from a rate-limited receiver', () => {
  it('429 with Retry-After in seconds: the retry waits for it and the message is delivered on the 2nd attempt', async () => {
    const receiver = await rateLimited(429, 1000, () => '1');
    const log: NotificationLogEntry[] = [];
    const hub = hubFor(receiver.url, log);
    hub.observe(note(0));
    hub.advanceTo(T0 + 30_000);
    await waitFor(() => log.some((e) => e.final), 'the final word on the rate-limited message', 15_000);
    expect(log.map((e) => [e.outcome, e.attempt, e.httpStatus, e.final])).toEqual([
      ['failed', 1, 429, false],
      ['sent', 2, 200, true],
    ]);
    expect(receiver.seen.map((s) => s.status)).toEqual([429, 200]);
    expect(receiver.seen[1].at - receiver.seen[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('503 with Retry-After as an HTTP date is honoured the same way', async () => {
    const receiver = await rateLimited(503, 1500, (until) => new Date(Math.ceil(until / 1000) * 1000 + 1000).toUTCString());
    const log: NotificationLogEntry[] = [];
    const hub = hubFor(receiver.url, log);
    hub.observe(note(0));
    hub.advanceTo(T0 + 30_000);
    await waitFor(() => log.some((e) => e.final), 'the final word on the rate-limited message', 15_000);
    expect(log.filter((e) => e.final).map((e) => [e.outcome, e.httpStatus])).toEqual([['sent', 200]]);
  });

  it('a Retry-After that is garbage or far away does not stall the contact point: the usual backoff, or at most the cap', async () => {
    const receiver = await rateLimited(429, 0, () => 'soon, maybe');
    const log: NotificationLogEntry[] = [];
    const hub = hubFor(receiver.url, log);
    hub.observe(note(0));
    hub.advanceTo(T0 + 30_000);
    await waitFor(() => log.some((e) => e.final), 'the final word', 15_000);
    expect(log.filter((e) => e.final).map((e) => e.outcome)).toEqual(['sent']);
  });
});
