// A receiver that echoes what it got (an error page quoting the request, a debugging proxy,
// an httpbin-style endpoint) must not bring a basic-auth secret URL's credentials back into
// payops's operator lines: not the password as written in the URL, not decoded, and not the
// base64 "user:password" of the Authorization header payops sent. Real receiver on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';
import type { AttemptReport } from './delivery';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('a receiver that echoes the request back', () => {
  it('its answer, quoted in the failure line and the attempt report, carries no credential in any form', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const auth = req.headers.authorization ?? '';
        const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8');
        res.writeHead(401, { 'content-type': 'text/plain' }).end(`denied ${req.url}: header [${auth.replace(/^Basic /, '')}] credentials [${decoded}]`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => server.close(resolve)) });
    const port = (server.address() as AddressInfo).port;
    // A password with characters a URL must escape: "p@ss:wörd-77" written as p%40ss%3Aw%C3%B6rd-77.
    const secret = `http://svc-payops:p%40ss%3Aw%C3%B6rd-77@127.0.0.1:${port}/hook/T0K3N`;
    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 1 }],
      defaultPolicy: { contactPoint: 'oncall', groupWait: '0s' },
    });
    if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
    const warned: string[] = [];
    const attempts: AttemptReport[] = [];
    const log: NotificationLogEntry[] = [];
    const hub = new NotificationHub({
      routing: v.config,
      urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: secret }),
      log: (e) => log.push({ ...e, id: log.length + 1 }),
      dryRun: false,
      warn: (l) => warned.push(l),
      onAttempt: (r) => attempts.push(r),
    });
    open.push({ close: () => hub.stop(0) });
    hub.observe({ kind: 'firing', rule: 'failures', severity: 'critical', labels: {}, value: 1, summary: 'FIRING failures', at: Date.now() });
    await hub.delivery.idle();
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('HTTP 401; the receiver answered: "denied');
    const everything = JSON.stringify({ warned, attempts, log });
    for (const form of ['p%40ss%3Aw%C3%B6rd-77', 'p@ss:wörd-77', Buffer.from('svc-payops:p@ss:wörd-77', 'utf8').toString('base64'), 'T0K3N']) {
      expect(everything, form).not.toContain(form);
    }
  });
});
