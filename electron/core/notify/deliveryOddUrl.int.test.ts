// Secret URLs as operators paste them, not as a test would shape them: a password with a "%"
// that is not an escape (WHATWG URL keeps it as written). Real receiver on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver } from '../../../test/support/httpReceiver';
import { waitFor } from '../../../test/support/waitFor';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('a secret URL whose password holds a bare "%"', () => {
  it('is delivered with the password as written (no crash, the queue goes on), and the password is in no line', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 503 });
    open.push(receiver);
    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 1 }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['merchant'], groupWait: '0s' },
    });
    if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
    const warned: string[] = [];
    const log: NotificationLogEntry[] = [];
    const urls = new ContactPointUrls(null, { [secretEnvName('oncall')]: `http://payops:100%zz-pct@127.0.0.1:${receiver.port}/hook` });
    const hub = new NotificationHub({ routing: v.config, urls, log: (e) => log.push({ ...e, id: log.length + 1 }), dryRun: false, warn: (l) => warned.push(l) });
    open.push({ close: () => hub.stop(0) });
    for (const merchant of ['m_1', 'm_2']) hub.observe({ kind: 'firing', rule: 'failures', severity: 'critical', labels: { merchant }, value: 1, summary: `FIRING ${merchant}`, at: Date.now() });
    await waitFor(() => log.filter((e) => e.final).length === 2, () => `both messages' final word (log: ${JSON.stringify(log.map((e) => e.error))})`, 10_000);
    expect(receiver.requests.map((r) => r.authorization)).toEqual([0, 1].map(() => `Basic ${Buffer.from('payops:100%zz-pct').toString('base64')}`));
    expect(log.map((e) => e.error)).toEqual(['HTTP 503', 'HTTP 503']);
    // Two messages failing for one reason: one line (the second counted, see undeliveredWarnings.int.test.ts).
    expect(warned).toHaveLength(1);
    expect(JSON.stringify({ warned, log, redacted: urls.redact('login payops:100%zz-pct refused') })).not.toContain('100%zz-pct');
  });
});
