// An alert paged, then silenced while it still fires: the router did not see silences, so it
// kept the alert in its group and paged the receiver again every repeatInterval for as long as
// the silence lasted, which is what a silence is for stopping. The evaluator now tells the router
// when an announced alert's silence begins or ends; the router leaves a silenced alert out of
// its messages (Alertmanager's mute stage), still sends its resolve, and repeats it again once
// the silence ends, a repeatInterval after the last message that carried it.
// A real engine session and SQLite database, requests through its services as the console sends
// them, the router's real notification log, and a real webhook receiver on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSilence } from '../../../shared/alerts';
import { openRoutedSession } from '../../../test/support/routedSessionKit';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-silenced-repeats-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const RULES = `rules:${declineRateRule('decline-rate-high', '15%')}${declineRateRule('decline-rate-severe', '30%')}`;


/** A session whose rules were saved over `declinePct` % declines stored just before (the save reads them back). */
async function open(name: string, declinePct: number) {
  // One group for every alert, a repeat every minute.
  const { session, notifications, receiver, request, firing, bodies } = await openRoutedSession(path.join(dir, name, 'live.db'), [], closers);
  const silence = (alertname: string) => request<AlertSilence>('alerts.silence', { matchers: [{ label: 'alertname', op: '=', value: alertname }], durationMs: 6 * 3600_000, comment: 'on it', by: 'alice' });
  /** What the receiver got so far, in order: "status: alertname=status, ...". */
  const received = () => bodies().map((b) => `${b.status}: ${b.alerts.map((a) => `${a.labels.alertname}=${a.status}`).sort().join(', ')}`);
  /** The router's clock `ms` further ahead of now, and the messages that were due by then delivered. */
  let routerAhead = 0;
  const later = async (ms: number, expected: number) => {
    routerAhead += ms;
    notifications.hub.advanceTo(Date.now() + routerAhead);
    await waitFor(() => receiver.requests.length >= expected, `${expected} messages`);
    return received();
  };
  const finish = async () => {
    notifications.hub.advanceTo(Date.now() + routerAhead + 3600_000);
    await notifications.stop();
    return received();
  };
  storePayments(session.engine, 20, declinePct);
  expect(await request('rules.save', { text: RULES })).toMatchObject({ ok: true, reloaded: true });
  return { session, request, silence, firing, received, later, finish, receiver };
}

describe('an alert paged, then silenced while it still fires', () => {
  it('is not paged again while the silence lasts', async () => {
    const { silence, firing, finish, receiver } = await open('quiet', 20); // 20 %: the high rule only
    expect((await firing()).map((a) => a.rule)).toEqual(['decline-rate-high']);
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence('decline-rate-high');
    expect((await firing())[0]).toMatchObject({ silenced: true });
    // An hour of one-minute repeatIntervals: nothing more.
    expect(await finish()).toEqual(['firing: decline-rate-high=firing']);
  });

  it('is repeated again once its silence ends, not at once but a repeatInterval after its last message', async () => {
    const { request, silence, firing, later, finish, receiver } = await open('ends', 20);
    await waitFor(() => receiver.requests.length > 0, 'the page');
    const s = await silence('decline-rate-high');
    await later(30 * 60_000, 1);
    expect(await request('alerts.expireSilence', { id: s.id })).toEqual({ ok: true });
    expect((await firing())[0]).toMatchObject({ silenced: false });
    // The last message was half an hour ago: the next flush repeats it, then every minute.
    const got = await later(3 * 60_000, 4);
    expect(got.slice(0, 4)).toEqual(Array(4).fill('firing: decline-rate-high=firing'));
    // Half an hour silenced, then an hour and three minutes of one-minute repeats: about 64
    // messages in all (94 if the silence had not held the repeats back).
    const all = await finish();
    expect(all.length).toBeGreaterThan(60);
    expect(all.length).toBeLessThan(70);
  });

  it('beside an alert that is not silenced: repeats carry that one only, and both resolves go out', async () => {
    const { session, silence, firing, received, later, finish } = await open('beside', 40); // 40 %: both rules
    expect((await firing()).map((a) => a.rule).sort()).toEqual(['decline-rate-high', 'decline-rate-severe']);
    // Each rule's alert is announced at the tick it crossed its threshold: if the severe one
    // came a tick later, it is paged a groupInterval after the first message.
    await later(5_000, 1);
    const paged = await waitFor(() => {
      const got = received();
      return got.at(-1) === 'firing: decline-rate-high=firing, decline-rate-severe=firing' && got.length;
    }, 'the page of both');
    await silence('decline-rate-severe');
    const got = await later(3 * 60_000, paged + 3);
    expect(got.slice(paged, paged + 3)).toEqual(Array(3).fill('firing: decline-rate-high=firing'));
    // The declines stop: clean traffic, as it arrives, until the 5 s window is clean.
    await waitFor(
      async () => {
        storePayments(session.engine, 1, 0);
        session.alerting.onWallTick();
        return (await firing()).length === 0;
      },
      'both alerts to resolve on clean traffic',
      30_000,
      250,
    );
    const all = await finish();
    expect(all.at(-1)).toBe('resolved: decline-rate-high=resolved, decline-rate-severe=resolved');
    expect(all.slice(paged, -1).every((m) => m === 'firing: decline-rate-high=firing')).toBe(true);
  });
});
