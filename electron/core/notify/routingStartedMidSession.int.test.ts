// A demo or replay session with no routing (no rules file when it started) announces its alerts
// on the console only; a rules save then adds routing, and the console starts a hub
// (reloadConsoleNotifications). The hub must carry on the alerts already firing, as a live one
// does (resumed from the database): the engine will not announce them again, so a hub that
// did not know them paged nothing and, worse, dropped their resolve. Now the firing alert is
// routed once (no second page) and its resolve follows. A real engine session on a real SQLite
// file, requests through its services; the delivering variant pages a real loopback receiver.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../engine/engineConfig';
import { composeEngine } from '../engine/composeEngine';
import { loadRoutingFile } from '../alerts/loadRulesFile';
import { MemorySecretStore } from '../secrets/secretStore';
import { startReceiver } from '../../../test/support/httpReceiver';
import { sessionRequests } from '../../../test/support/routedSessionKit';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { reloadConsoleNotifications } from './consoleNotifications';
import { startSessionNotifications, type SessionNotifications } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-routing-mid-session-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const RULES = `rules:${declineRateRule('decline-rate-high', '15%')}`;
const ROUTED = `contactPoints:\n  - { name: oncall, type: webhook, urlSecret: oncall }\ndefaultPolicy: { contactPoint: oncall, groupWait: 0s, groupInterval: 1s, repeatInterval: 4h }\n${RULES}`;

/** A demo session (not started: the test stores its traffic) whose rules are saved without routing, then with it. */
async function firingThenRouted(name: string, start: (dbFile: string, rulesFile: string) => SessionNotifications | null) {
  const dbFile = path.join(dir, `${name}.db`);
  let notifications: SessionNotifications | null = null;
  const config: EngineConfig = { dbFile, session: 'demo', demo: { scenario: 'decline-spike', rate: 20, seed: 42 }, rulesFile: null };
  const session = composeEngine(config, { snapshot: () => undefined, log: () => undefined, alert: (n) => notifications?.hub.observe(n), silence: (c) => notifications?.hub.silence(c) });
  closers.push(() => session.stop());
  const { request, firing } = sessionRequests(session);

  storePayments(session.engine, 20, 40);
  expect(await request('rules.save', { text: RULES })).toMatchObject({ ok: true, reloaded: true });
  expect((await firing()).map((a) => a.rule)).toEqual(['decline-rate-high']);

  const saved = await request<{ ok: boolean; reloaded: boolean; path: string }>('rules.save', { text: ROUTED });
  expect(saved).toMatchObject({ ok: true, reloaded: true });
  notifications = start(dbFile, saved.path);
  closers.push(() => notifications?.stop());
  // Still firing after the save, then calm: the alert resolves.
  storePayments(session.engine, 5, 40);
  session.alerting.onWallTick();
  expect((await firing()).map((a) => a.rule)).toEqual(['decline-rate-high']);
  // Calm seconds, judged on their own time (the wall clock would take that long): what the
  // evaluator raises goes to the hub as the session passes it on. Ticks fall on the evaluation
  // interval's boundaries, with the lateness allowance held back: 30 s on, whatever the phase of
  // the wall clock, some tick's 5 s window lies wholly after the declines.
  storePayments(session.engine, 25, 0, { endMs: Date.now() + 25_000 });
  for (const raised of session.alerting.evaluator.advanceTo(Date.now() + 30_000)) notifications!.hub.observe(raised);
  expect(await firing()).toEqual([]);
  return notifications!;
}

describe('routing started by a rules save in a demo or replay session', () => {
  it('a demo session: the alert firing at the save is routed once ("would notify"), and so is its resolve', async () => {
    const n = await firingThenRouted('demo', (dbFile, rulesFile) => reloadConsoleNotifications(null, { dbFile, session: 'demo', rulesFile }, new MemorySecretStore(), () => undefined));
    n.hub.advanceTo(Date.now() + 60_000);
    await n.hub.delivery.idle();
    const logged = n.recent(50).reverse().map((e) => `${e.outcome}:${e.status}:${e.rule}`);
    expect(logged).toEqual(['would_notify:firing:decline-rate-high', 'would_notify:resolved:decline-rate-high']);
  });

  it('a delivering hub started mid-session: the receiver gets one page and then the resolve', async () => {
    const receiver = await startReceiver();
    closers.push(() => receiver.close());
    const n = await firingThenRouted('delivering', (dbFile, rulesFile) =>
      startSessionNotifications({ dbFile, routing: loadRoutingFile(rulesFile), secrets: null, dryRun: false, live: false, resume: true, finishWaitMs: 10_000, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } }),
    );
    n.hub.advanceTo(Date.now() + 60_000);
    await waitFor(() => receiver.requests.length >= 2, () => `a page and a resolve (received ${receiver.requests.length})`);
    await n.hub.delivery.idle();
    const seen = receiver.requests.map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => `${a.labels.alertname}=${a.status}`).join(',')}`);
    expect(seen).toEqual(['firing:decline-rate-high=firing', 'resolved:decline-rate-high=resolved']);
  });
});
