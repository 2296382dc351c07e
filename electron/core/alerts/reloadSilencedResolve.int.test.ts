// An alert paged, then silenced, then closed by a rules save (its rule removed or changed so it
// no longer holds): AlertingSession.reload announced the close only for alerts not silenced, so
// the router, which does not see silences, kept the alert firing in its group and paged the
// receiver again every repeatInterval. An alert announced firing is now announced resolved when
// a save closes it, silenced or not, as when it resolves while silenced (silencedResolve.int.test.ts);
// and one a save carries on (same rule and group) keeps being "announced", so its later resolve
// is announced too. One never announced (silenced before it fired) still says nothing.
// A real engine session and SQLite database, requests through its services as the console sends
// them, the router's real notification log, and a real webhook receiver on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiRequest, type ApiRequestName } from '../../../shared/api';
import type { AlertView } from '../../../shared/alerts';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import { startSessionNotifications, type SessionNotifications } from '../notify/notificationHub';
import type { AlertmanagerWebhookV4 } from '../notify/payloads';
import { secretEnvName } from '../notify/secretUrls';
import type { IncomingMessage } from '../store/eventWriter';

const dir = tempDir('payops-reload-silenced-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const RULES = (above = '15%', description = 'More than the threshold of authorizations declined.') => `
rules:
  - name: decline-rate-high
    description: ${description}
    severity: critical
    metric: decline_rate
    condition: { above: ${above} }
    window: 5s
    for: 0s
    keepFiringFor: 0s
    minVolume: 10
    noDataState: normal
`;

let n = 0;
/** `seconds` of payments ending at `endMs`, `declinePct` % declined, stored and fed to the session as ingest does. */
function store(engine: EngineSession['engine'], seconds: number, declinePct: number, endMs = Date.now()): void {
  const items: IncomingMessage[] = [];
  for (let s = seconds; s > 0; s--) {
    for (let i = 0; i < 20; i++) {
      const t = endMs - s * 1000 + i * 50;
      const type = i < (declinePct / 100) * 20 ? 'payment.declined' : 'payment.authorized';
      const id = `e${n++}`;
      const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
      items.push({ raw: { body: new Uint8Array(), arrivalMs: t + 5 }, result: { ok: true, event } });
    }
  }
  engine.onCommitted(engine.store.ingest.commit(items));
}

async function open(name: string) {
  const receiver = await startReceiver();
  closers.push(() => receiver.close());
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s', repeatInterval: '1m' },
  });
  if (!v.ok) throw new Error('routing');
  const dbFile = path.join(dir, name, 'live.db');
  let notifications: SessionNotifications | null = null;
  const session = composeEngine({ dbFile, session: 'live', rulesFile: null }, { snapshot: () => undefined, log: () => undefined, alert: (x) => notifications!.hub.observe(x) });
  closers.push(() => session.stop());
  // The router's clock moves only when the test says so (an hour of repeatIntervals below).
  notifications = startSessionNotifications({ dbFile, routing: v.config, secrets: null, dryRun: false, live: false, finishWaitMs: 10_000, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
  const services = session.services as unknown as Record<string, Record<string, (a: unknown) => unknown>>;
  const request = async <T>(req: ApiRequestName, args: unknown = {}): Promise<T> => {
    const [service, method] = req.split('.');
    const result = await services[service][method](parseApiRequest(req, args).args);
    return (req === 'alerts.list' ? (result as { alerts: unknown }).alerts : result) as T;
  };
  const silence = () => request('alerts.silence', { matchers: [{ label: 'alertname', op: '=', value: 'decline-rate-high' }], durationMs: 3600_000, comment: 'on it', by: 'alice' });
  const firing = async () => (await request<AlertView[]>('alerts.list')).filter((a) => a.state === 'firing');
  /** An hour of the router's clock, then its deliveries finished: what the receiver got, in order. */
  const anHourLater = async () => {
    notifications!.hub.advanceTo(Date.now() + 3600_000);
    await notifications!.stop();
    return receiver.requests.map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => a.status).join(',')}`);
  };
  return { session, request, silence, firing, anHourLater, receiver };
}

describe('a rules save closing an alert that was paged and then silenced', () => {
  it('changed so it no longer holds: the receiver gets the resolved message and no more pages', async () => {
    const { session, request, silence, firing, anHourLater, receiver } = await open('changed');
    store(session.engine, 20, 40);
    expect(await request('rules.save', { text: RULES() })).toMatchObject({ ok: true, reloaded: true });
    expect((await firing()).map((a) => a.rule)).toEqual(['decline-rate-high']);
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence();
    expect((await firing())[0]).toMatchObject({ silenced: true });

    expect(await request('rules.save', { text: RULES('60%') })).toMatchObject({ ok: true, reloaded: true });
    expect(await firing()).toEqual([]);
    expect(await anHourLater()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('removed: the receiver gets the resolved message and no more pages', async () => {
    const { session, request, silence, firing, anHourLater, receiver } = await open('removed');
    store(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence();
    await request('rules.save', { text: RULES().replace('decline-rate-high', 'decline-rate-other').replace('above: 15%', 'above: 60%') });
    expect(await firing()).toEqual([]);
    expect(await anHourLater()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('carried on by a save (a description edit) and resolving later, still silenced: the receiver gets the resolved message', async () => {
    const { session, request, silence, firing, anHourLater, receiver } = await open('carried');
    store(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence();
    await request('rules.save', { text: RULES('15%', 'Edited while it fires.') });
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: true }]);
    // The declines stop: a few seconds of clean traffic, as it arrives, until the 5 s window is clean.
    await waitFor(async () => {
      store(session.engine, 1, 0);
      session.alerting.onWallTick();
      return (await firing()).length === 0;
    }, 'the alert to resolve on clean traffic', 30_000, 250);
    expect(await anHourLater()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('silenced before it fired, then closed by a save: the receiver hears nothing', async () => {
    const { session, request, silence, firing, anHourLater } = await open('never');
    await silence();
    store(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: true }]);
    await request('rules.save', { text: RULES('60%') });
    expect(await firing()).toEqual([]);
    expect(await anHourLater()).toEqual([]);
  });
});
