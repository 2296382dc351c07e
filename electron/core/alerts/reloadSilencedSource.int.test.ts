// An inhibition source that fired while silenced (announced to no one) inhibits its targets, as
// in Alertmanager, until it resolves; a rules save that removes its rule closes it, and then it
// must stop inhibiting: the target still firing is paged. A real engine session and SQLite
// database, requests through its services as the console sends them, a real webhook receiver
// on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertmanagerWebhookV4 } from '../notify/payloads';
import { openRoutedSession } from '../../../test/support/routedSessionKit';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-reload-silenced-source-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a silenced inhibition source closed by a rules save', () => {
  it('inhibits its target while it fires; once the save removes its rule, the target is paged', async () => {
    const { session, notifications, receiver, request, firing } = await openRoutedSession(path.join(dir, 'live.db'), ['alertname'], closers, {
      repeatInterval: '1h',
      inhibitRules: [{ sourceMatchers: ['alertname=declines-source'], targetMatchers: ['alertname=declines-target'] }],
    });
    const hub = notifications.hub;
    const inhibited = () => notifications.recent(100).filter((e) => e.outcome === 'inhibited').map((e) => e.rule);

    await request('alerts.silence', { matchers: [{ label: 'alertname', op: '=', value: 'declines-source' }], durationMs: 3600_000, comment: 'known outage', by: 'alice' });
    storePayments(session.engine, 20, 40);
    const both = `rules:${declineRateRule('declines-source', '15%')}${declineRateRule('declines-target', '20%')}`;
    expect(await request('rules.save', { text: both })).toMatchObject({ ok: true, reloaded: true });
    expect((await firing()).map((a) => [a.rule, a.silenced]).sort()).toEqual([
      ['declines-source', true],
      ['declines-target', false],
    ]);
    hub.advanceTo(Date.now() + 5_000);
    await waitFor(() => inhibited().length > 0, 'the target held back by the silenced source');
    expect(inhibited()).toEqual(['declines-target']);
    await hub.delivery.idle();
    expect(receiver.requests).toHaveLength(0);

    // The source's rule is removed: it closes, and no longer holds the target back.
    expect(await request('rules.save', { text: `rules:${declineRateRule('declines-target', '20%')}` })).toMatchObject({ ok: true, reloaded: true });
    hub.advanceTo(Date.now() + 10_000);
    await waitFor(() => receiver.requests.length > 0, 'the target paged once its source is gone');
    const body = receiver.requests[0].body as AlertmanagerWebhookV4;
    expect(body.alerts.map((a) => [a.labels.alertname, a.status])).toEqual([['declines-target', 'firing']]);
  });
});
