// A live session restarted on its database while a burn-rate (SLO) alert fires. The rule
// evaluator's alerts carry on across a restart (AlertingSession), but the burn-rate ones were
// closed at the start ("closed: the engine restarted") without a word, so the router's resume
// saw a delivered page whose alert was no longer open and told the receiver it resolved, though
// the burn went on; and the burn-rate rules started on empty windows, so a burn that went on
// paged again once the windows filled. Real SQLite file, the real engine composition, a real
// receiver on loopback.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { storeBurningPayments } from '../../../test/support/burningConsoleKit';
import { startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { composeEngine } from '../engine/composeEngine';
import { startSessionNotifications, type SessionNotifications } from '../notify/notificationHub';
import type { AlertmanagerWebhookV4 } from '../notify/payloads';
import { secretEnvName } from '../notify/secretUrls';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore } from '../store/store';
import { loadRoutingFile } from './loadRulesFile';

const dir = tempDir('payops-burn-restart-');
const RULES = `version: 1
rules:
  - name: decline-rate-high
    description: never fires here.
    severity: critical
    metric: decline_rate
    condition: { above: 99% }
    window: 5m
    minVolume: 1000000
contactPoints:
  - name: oncall
    type: webhook
    urlSecret: oncall
    timeout: 5s
    maxAttempts: 3
defaultPolicy:
  contactPoint: oncall
  groupBy: [alertname]
  groupWait: 0s
  groupInterval: 1s
  repeatInterval: 4h
`;
const SLO = `burnRates:
  - name: approval-slo
    objective: 97%
    sli: approval
    minVolume: 0
    windows:
      - { severity: critical, factor: 10, long: 5m, short: 1m }
`;
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A payment of merchant m_1 at `t`, as the consumer hands it to ingest. */
function payment(id: string, type: string, t: number): IncomingMessage {
  const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
  return { raw: { body: new Uint8Array(), arrivalMs: t + 5 }, result: { ok: true, event } };
}

function storeItems(dbFile: string, items: IncomingMessage[]): void {
  const store = openStore(dbFile);
  store.ingest.commit(items);
  store.close();
}

/** A live session as the console runs one: the engine on the rules file, its alerts routed to the receiver. */
async function liveSession(dbFile: string, rulesFile: string, url: string) {
  const seen: AlertNotification[] = [];
  const early: AlertNotification[] = [];
  let hub: { observe(n: AlertNotification): void } | null = null;
  const session = composeEngine({ dbFile, session: 'live', rulesFile }, {
    snapshot: () => undefined,
    log: () => undefined,
    alert: (n) => {
      seen.push(n);
      if (hub) hub.observe(n);
      else early.push(n);
    },
  });
  // As the console does: the engine starts (it carries on or closes the alerts it left), then
  // the routing resumes from what it carried on and what the receiver was told.
  await session.start();
  const live = startSessionNotifications({ dbFile, routing: loadRoutingFile(rulesFile), secrets: null, dryRun: false, live: true, env: { [secretEnvName('oncall')]: url } });
  hub = live.hub;
  for (const n of early.splice(0)) hub.observe(n);
  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= session.stop().then(() => live.stop()));
  open.push({ close: stop });
  return { session, live, seen, stop };
}

/**
 * A database of `name` holding 7 minutes of burn, whose first live session had the SLO added by a
 * save (judged at once over the stored burn, it fires and pages the receiver) and then stopped.
 */
async function pagedThenStopped(name: string) {
  const receiver = await startReceiver();
  open.push(receiver);
  const sub = path.join(dir, name);
  fs.mkdirSync(sub, { recursive: true });
  const dbFile = path.join(sub, 'live.db');
  const rulesFile = path.join(sub, 'rules.yaml');
  fs.writeFileSync(rulesFile, RULES);
  storeBurningPayments(dbFile, 7, { idPrefix: 'a' });
  const first = await liveSession(dbFile, rulesFile, receiver.url);
  expect(first.session.services.rules.save({ text: RULES + SLO })).toMatchObject({ ok: true, reloaded: true });
  const firstSeen = first.seen.map((n) => `${n.kind} ${n.rule}`);
  await waitFor(() => receiver.requests.length >= 1, 'the SLO page');
  await first.stop();
  return { receiver, dbFile, rulesFile, firstSeen };
}

/** A marker alert of its own group, paged in the same flush as anything the resume sends: once it is in, so is that. */
async function pageMarker(live: SessionNotifications, receiver: HttpReceiver): Promise<void> {
  live.hub.observe({ kind: 'firing', rule: 'marker', severity: 'critical', labels: {}, value: 1, summary: 'FIRING marker', at: Date.now() });
  await waitFor(() => receiver.requests.some((r) => (r.body as AlertmanagerWebhookV4).alerts.some((a) => a.labels.alertname === 'marker')), 'the marker page');
}

describe('a burn-rate alert across a restart of the live session', () => {
  it('an ongoing burn stays one firing alert: no resolved message, no second page', async () => {
    const { receiver, dbFile, rulesFile, firstSeen } = await pagedThenStopped('ongoing');
    expect(firstSeen).toEqual(['firing approval-slo']);
    expect((receiver.requests[0].body as AlertmanagerWebhookV4).status).toBe('firing');

    // The burn goes on: more of it stored, up to now, then the session starts again.
    storeBurningPayments(dbFile, 1, { idPrefix: 'b' });
    const second = await liveSession(dbFile, rulesFile, receiver.url);
    await pageMarker(second.live, receiver);
    await second.stop();
    const slo = receiver.requests.map((r) => r.body as AlertmanagerWebhookV4).filter((b) => b.alerts.some((a) => a.labels.alertname === 'approval-slo'));
    expect(slo.map((b) => b.status)).toEqual(['firing']);
    expect(second.seen.filter((n) => n.rule === 'approval-slo')).toEqual([]);
    const store = openStore(dbFile, { readonly: true });
    try {
      expect(store.alerts.list({ firedOnly: true }).filter((r) => r.rule === 'approval-slo').map((r) => r.state)).toEqual(['firing']);
    } finally {
      store.close();
    }
  });

  it('a burn that ended while the session was down is resolved once, to the receiver and in the history', async () => {
    const { receiver, dbFile, rulesFile } = await pagedThenStopped('ended');

    // Down for a while: the traffic since (40 times the usual, none declined) puts the burn
    // well under its factor.
    const end = Date.now();
    const items: IncomingMessage[] = [];
    for (let s = 7 * 60 * 400; s > 0; s--) items.push(payment(`ok${s}`, 'payment.authorized', end - s * 2.5));
    storeItems(dbFile, items);

    const second = await liveSession(dbFile, rulesFile, receiver.url);
    const slo = () => receiver.requests.map((r) => r.body as AlertmanagerWebhookV4).filter((b) => b.alerts.some((a) => a.labels.alertname === 'approval-slo'));
    await waitFor(() => slo().length >= 2, () => `the resolved message (SLO messages: ${slo().length})`);
    await pageMarker(second.live, receiver);
    await second.stop();
    expect(slo().map((b) => b.status)).toEqual(['firing', 'resolved']);
    expect(slo()[1].alerts[0].fingerprint).toBe(slo()[0].alerts[0].fingerprint);
    expect(second.seen.filter((n) => n.rule === 'approval-slo').map((n) => n.kind)).toEqual(['resolved']);
    const reads = openStore(dbFile, { readonly: true });
    try {
      const history = reads.alerts.list({ firedOnly: true }).filter((r) => r.rule === 'approval-slo');
      expect(history.map((r) => r.state)).toEqual(['resolved']);
      expect(history[0].summary).not.toMatch(/engine restarted/);
    } finally {
      reads.close();
    }
  });
});
