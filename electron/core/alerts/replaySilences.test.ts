// A silence made during a replay holds on the replay's clock (event time), all of it: its
// start (createdAt), its end and an early expiry. A backtest of the replay's database then
// holds it where the replay did. Real engine session and database, no broker.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSilence } from '../../../shared/alerts';
import { parseApiRequest } from '../../../shared/api';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import { openStore } from '../store/store';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { backtestStoredRange } from './backtestSources';

const dir = tempDir('payops-replay-silences-');
let sessions: EngineSession[] = [];
afterEach(async () => {
  for (const e of sessions) await e.stop();
  sessions = [];
});

describe('silences made during a replay', () => {
  it('start, end and expire on event time, and a backtest of the replay holds them where the replay did', async () => {
    const rulesText = `rules:${declineRateRule('declines', '20%')}`;
    const rulesFile = path.join(dir, 'rules.yaml');
    fs.writeFileSync(rulesFile, rulesText);
    const dbFile = path.join(dir, 'replay.db');
    const session = composeEngine({ dbFile, session: 'replay', rulesFile }, { snapshot: () => undefined, log: () => undefined, alert: () => undefined });
    sessions.push(session);
    const alerts = session.services as unknown as Record<string, Record<string, (a: unknown) => unknown>>;
    const call = <T>(req: 'alerts.silence' | 'alerts.expireSilence', args: unknown) => alerts.alerts[req.split('.')[1]](parseApiRequest(req, args).args) as T;

    // A capture of yesterday: a quiet minute, then the operator silences the rule for 10 minutes.
    const t0 = Date.now() - 86_400_000;
    storePayments(session.engine, 60, 0, { endMs: t0 + 60_000 });
    const silence = call<AlertSilence>('alerts.silence', { matchers: [{ label: 'alertname', value: 'declines' }], durationMs: 600_000, by: 'ops' });
    expect(silence.createdAt).toBe(t0 + 60_000 - 50);
    expect(silence.endsAt).toBe(silence.createdAt + 600_000);
    // A minute of declines the silence holds, then the operator ends it early.
    storePayments(session.engine, 60, 50, { endMs: t0 + 120_000 });
    expect(session.alerting.evaluator.list().find((a) => a.rule === 'declines')).toMatchObject({ state: 'firing', silenced: true });
    expect(call<{ ok: boolean }>('alerts.expireSilence', { id: silence.id })).toEqual({ ok: true });
    const [stored] = session.alerting.evaluator.listSilences();
    expect(stored.expiredAt).toBe(t0 + 120_000 - 50);
    // Declines go on after the silence ended: the alert is no longer held.
    storePayments(session.engine, 60, 50, { endMs: t0 + 180_000 });
    expect(session.alerting.evaluator.list().find((a) => a.rule === 'declines')).toMatchObject({ state: 'firing', silenced: false });
    const rules = session.alerting.rules;
    await session.stop();
    sessions = [];

    const readOnly = openStore(dbFile, { readonly: true });
    try {
      const r = await backtestStoredRange(readOnly, rules, { from: t0, to: t0 + 180_000, yieldBetweenPages: false });
      // Held while the silence was in force, paged once the operator ended it, as in the replay.
      expect(r.silenceChanges.map((c) => [c.kind, c.rule])).toEqual([['silenced', 'declines']]);
      expect(r.silenceChanges[0].at).toBeGreaterThan(t0 + 60_000);
      expect(r.silenceChanges[0].at).toBeLessThan(t0 + 120_000);
      const paged = r.notifications.filter((n) => n.kind === 'firing');
      expect(paged.map((n) => n.rule)).toEqual(['declines']);
      expect(paged[0].at).toBeGreaterThanOrEqual(t0 + 120_000 - 50);
      expect(paged[0].at).toBeLessThan(t0 + 130_000);
    } finally {
      readOnly.close();
    }
  });

  it('a replay session reopened on the database reads back the silences a replay made on event time', async () => {
    const rulesFile = path.join(dir, 'reopen-rules.yaml');
    fs.writeFileSync(rulesFile, `rules:${declineRateRule('declines', '20%')}`);
    const dbFile = path.join(dir, 'reopen.db');
    const open = () => {
      const session = composeEngine({ dbFile, session: 'replay', rulesFile }, { snapshot: () => undefined, log: () => undefined, alert: () => undefined });
      sessions.push(session);
      return session;
    };
    const first = open();
    storePayments(first.engine, 60, 0, { endMs: Date.now() - 86_400_000 });
    const made = first.alerting.evaluator.silence([{ label: 'alertname', op: '=', value: 'declines' }], first.alerting.now() + 600_000, '', 'ops');
    await first.stop();
    sessions = [];
    // Its end is yesterday on the wall clock, ten minutes after the replay's last event.
    expect(open().alerting.evaluator.listSilences().map((s) => s.id)).toEqual([made.id]);
  });
});
