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
import { openRoutedSession } from '../../../test/support/routedSessionKit';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-reload-silenced-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const RULES = (above = '15%', description = 'More than the threshold of authorizations declined.') => `rules:${declineRateRule('decline-rate-high', above, description)}`;


async function open(name: string) {
  const { session, notifications, receiver, request, firing, bodies } = await openRoutedSession(path.join(dir, name, 'live.db'), ['alertname'], closers);
  const silence = () => request('alerts.silence', { matchers: [{ label: 'alertname', op: '=', value: 'decline-rate-high' }], durationMs: 3600_000, comment: 'on it', by: 'alice' });
  /** An hour of the router's clock, then its deliveries finished: what the receiver got, in order. */
  const anHourLater = async () => {
    notifications.hub.advanceTo(Date.now() + 3600_000);
    await notifications.stop();
    return bodies().map((b) => `${b.status}:${b.alerts.map((a) => a.status).join(',')}`);
  };
  return { session, request, silence, firing, anHourLater, receiver };
}

describe('a rules save closing an alert that was paged and then silenced', () => {
  it('changed so it no longer holds: the receiver gets the resolved message and no more pages', async () => {
    const { session, request, silence, firing, anHourLater, receiver } = await open('changed');
    storePayments(session.engine, 20, 40);
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
    storePayments(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence();
    await request('rules.save', { text: RULES().replace('decline-rate-high', 'decline-rate-other').replace('above: 15%', 'above: 60%') });
    expect(await firing()).toEqual([]);
    expect(await anHourLater()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('carried on by a save (a description edit) and resolving later, still silenced: the receiver gets the resolved message', async () => {
    const { session, request, silence, firing, anHourLater, receiver } = await open('carried');
    storePayments(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    await waitFor(() => receiver.requests.length > 0, 'the page');
    await silence();
    await request('rules.save', { text: RULES('15%', 'Edited while it fires.') });
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: true }]);
    // The declines stop: a few seconds of clean traffic, as it arrives, until the 5 s window is clean.
    await waitFor(async () => {
      storePayments(session.engine, 1, 0);
      session.alerting.onWallTick();
      return (await firing()).length === 0;
    }, 'the alert to resolve on clean traffic', 30_000, 250);
    expect(await anHourLater()).toEqual(['firing:firing', 'resolved:resolved']);
  });

  it('silenced before it fired, then closed by a save: the receiver hears nothing', async () => {
    const { session, request, silence, firing, anHourLater } = await open('never');
    await silence();
    storePayments(session.engine, 20, 40);
    await request('rules.save', { text: RULES() });
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: true }]);
    await request('rules.save', { text: RULES('60%') });
    expect(await firing()).toEqual([]);
    expect(await anHourLater()).toEqual([]);
  });
});
