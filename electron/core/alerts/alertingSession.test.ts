// The rule editor's requests on a real engine session and database (no broker): rules.get,
// rules.validate, rules.save (atomic write, reload of the evaluator with stored events read
// back) on the engine's services, and rules.backtest over the stored range on a read-only
// connection, as the read worker serves it. Requests are validated as the API boundary does.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification, AlertView } from '../../../shared/alerts';
import type { RulesBacktestResult, RulesDocument, RulesSaveResult, RulesValidationResult } from '../../../shared/alertsApi';
import { parseApiRequest, type ApiRequestName } from '../../../shared/api';
import { DEFAULT_RULES_YAML } from '../alerts';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import { openStore } from '../store/store';
import { storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { BacktestService } from './backtestService';

const dir = tempDir('payops-alerting-session-');
const DECLINE_RULES = fs.readFileSync(path.resolve(__dirname, '../../../e2e/fixtures/decline-rules.yaml'), 'utf8');
let sessions: EngineSession[] = [];
afterEach(async () => {
  for (const e of sessions) await e.stop();
  sessions = [];
});

function open(name: string, extra: { rulesFile?: string | null; session?: 'live' | 'replay' } = {}) {
  const notifications: AlertNotification[] = [];
  const dbFile = path.join(dir, name, 'live.db');
  const session = composeEngine(
    { dbFile, session: extra.session ?? 'live', rulesFile: extra.rulesFile ?? null },
    { snapshot: () => undefined, log: () => undefined, alert: (n) => notifications.push(n) },
  );
  sessions.push(session);
  const services = session.services as unknown as Record<string, Record<string, (a: unknown) => unknown>>;
  const request = async <T>(req: ApiRequestName, args: unknown = {}): Promise<T> => {
    const parsed = parseApiRequest(req, args).args;
    if (req === 'rules.backtest') {
      const readOnly = openStore(dbFile, { readonly: true });
      try {
        return (await new BacktestService(readOnly).run(parsed as never)) as T;
      } finally {
        readOnly.close();
      }
    }
    const [service, method] = req.split('.');
    const result = await services[service][method](parsed);
    return (req === 'alerts.list' ? (result as { alerts: unknown }).alerts : result) as T;
  };
  return { session, engine: session.engine, alerting: session.alerting, notifications, request };
}


describe('rule editor requests', () => {
  it('rules.get gives the default pack and where a save would go', async () => {
    const { request } = open('get');
    const doc = await request<RulesDocument>('rules.get');
    expect(doc).toMatchObject({ source: 'default', path: null, format: 'yaml', liveReload: true, savePath: path.join(dir, 'get', 'rules.yaml') });
    expect(doc.text).toBe(DEFAULT_RULES_YAML);
    expect(doc.rules.map((r) => r.name)).toContain('decline-rate-spike');
  });

  it('rules.validate names the rule, field and line; rules.save refuses bad text and changes nothing', async () => {
    const { request, alerting } = open('bad');
    const bad = DECLINE_RULES.replace('window: 20s', 'window: 20 seconds').replace('severity: critical', 'severity: urgent');
    const v = await request<RulesValidationResult>('rules.validate', { text: bad, format: 'yaml' });
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.text)).toEqual([
      'rule "decline-rate-high" (rules[0]) field severity: must be critical, warning or info',
      expect.stringMatching(/^rule "decline-rate-high" \(rules\[0\]\) field window: must be a duration/),
    ]);
    expect(v.issues.every((i) => typeof i.line === 'number')).toBe(true);
    expect((await request<RulesValidationResult>('rules.validate', { text: DECLINE_RULES, format: 'yaml' })).rules).toBe(1);

    const saved = await request<RulesSaveResult>('rules.save', { text: bad });
    expect(saved).toMatchObject({ ok: false, path: null, reloaded: false });
    expect(saved.issues).toHaveLength(2);
    expect(fs.existsSync(path.join(dir, 'bad', 'rules.yaml'))).toBe(false);
    expect(alerting.rules.map((r) => r.name)).toContain('decline-rate-spike');
    const wrongFormat = await request<RulesSaveResult>('rules.save', { text: '{"rules": []}', format: 'json' });
    expect(wrongFormat.ok).toBe(false);
    expect(wrongFormat.issues[0].text).toMatch(/is a YAML file/);
  });

  it('rules.save writes the file, evaluates the new rules at once over the stored window, and a second save does not notify again', async () => {
    const { request, engine, alerting, notifications } = open('save');
    // 16 % declines: under the default decline rule's cold-start band (8 % prior + 9 points),
    // over the edited rule's 15 %. Observed synchronously (onCommitted): nothing to wait for.
    storePayments(engine, 60, 16, { perSecond: 100 });
    expect(alerting.evaluator.list().filter((a) => a.state === 'firing')).toEqual([]);

    const saved = await request<RulesSaveResult>('rules.save', { text: DECLINE_RULES, format: 'yaml' });
    expect(saved).toMatchObject({ ok: true, reloaded: true, path: path.join(dir, 'save', 'rules.yaml') });
    expect(fs.readFileSync(saved.path!, 'utf8')).toBe(DECLINE_RULES);
    expect(fs.readdirSync(path.join(dir, 'save')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const doc = await request<RulesDocument>('rules.get');
    expect(doc).toMatchObject({ source: 'file', path: saved.path, text: DECLINE_RULES });
    expect(doc.rules.map((r) => r.name)).toEqual(['decline-rate-high']);

    // The stored last minute already shows 16 % declines: the new rule fires right away, once.
    const firing = (await request<AlertView[]>('alerts.list', {})).filter((a) => a.state === 'firing');
    expect(firing.map((a) => a.rule)).toEqual(['decline-rate-high']);
    expect(notifications.map((x) => `${x.kind} ${x.rule}`)).toEqual(['firing decline-rate-high']);

    // Saving again (say, a description edit): the alert carries on without a second notification.
    await request<RulesSaveResult>('rules.save', { text: DECLINE_RULES.replace('(e2e test rule)', '(edited)') });
    expect((await request<AlertView[]>('alerts.list', {})).filter((a) => a.state === 'firing').map((a) => a.rule)).toEqual(['decline-rate-high']);
    expect(notifications).toHaveLength(1);

    // A rule set under which it no longer holds resolves it (and says why).
    await request<RulesSaveResult>('rules.save', { text: DECLINE_RULES.replace('above: 15%', 'above: 60%') });
    expect((await request<AlertView[]>('alerts.list', {})).filter((a) => a.state === 'firing')).toEqual([]);
    expect(notifications.map((x) => x.kind)).toEqual(['firing', 'resolved']);
    expect(notifications[1].summary).toMatch(/alert rules changed/);
  });

  it('rules.backtest never reports a firing in the future: a range ending ahead of now is evaluated up to now', async () => {
    const { request, engine } = open('future');
    const end = Date.now();
    storePayments(engine, 120, 5, { perSecond: 50, endMs: end - 20_000 }); // dense traffic until 20 s ago, then silence
    const r = await request<RulesBacktestResult>('rules.backtest', { text: DEFAULT_RULES_YAML, format: 'yaml', from: end - 200_000, to: end + 600_000 });
    expect(r.ok).toBe(true);
    const checkedAt = Date.now();
    expect(r.to).toBeLessThanOrEqual(checkedAt);
    for (const a of r.alerts) expect(a.firedAt!).toBeLessThanOrEqual(checkedAt);
    expect(r.alerts.filter((a) => a.rule === 'traffic-stopped')).toEqual([]);
  });

  it('rules.backtest runs edited rules over the stored range without touching live alerts', async () => {
    const { request, engine, alerting } = open('backtest');
    const end = Date.now();
    storePayments(engine, 120, 5, { perSecond: 50, endMs: end - 120_000 });
    storePayments(engine, 60, 50, { perSecond: 50, endMs: end - 60_000 });
    storePayments(engine, 60, 5, { perSecond: 50, endMs: end });
    const before = await request<AlertView[]>('alerts.list', {});
    const r = await request<RulesBacktestResult>('rules.backtest', { text: DECLINE_RULES, format: 'yaml', from: end - 240_000, to: end });
    expect(r.ok).toBe(true);
    expect(r.events).toBe(240 * 50);
    expect(r.truncated).toBeNull();
    expect(r.firedCount).toBe(1);
    expect(r.alerts[0]).toMatchObject({ rule: 'decline-rate-high' });
    expect(r.alerts[0].firedAt!).toBeGreaterThan(end - 120_000);
    expect(r.alerts[0].firedAt!).toBeLessThan(end - 60_000);
    expect(r.alerts[0].resolvedAt!).toBeGreaterThan(r.alerts[0].firedAt!);
    expect(await request<AlertView[]>('alerts.list', {})).toEqual(before);
    expect(alerting.rules.map((x) => x.name)).toContain('decline-rate-spike');

    const bad = await request<RulesBacktestResult>('rules.backtest', { text: 'rules: [{name: x}]', format: 'yaml', from: end - 1000, to: end });
    expect(bad.ok).toBe(false);
    expect(bad.issues[0].text).toMatch(/rule "x" \(rules\[0\]\) field description: is required/);
  });

  it('in a replay, a save is written for the next session but the running rules stay', async () => {
    const rulesFile = path.join(dir, 'replay-rules.yaml');
    fs.writeFileSync(rulesFile, DECLINE_RULES);
    const { request, alerting } = open('replay', { rulesFile, session: 'replay' });
    const saved = await request<RulesSaveResult>('rules.save', { text: DECLINE_RULES.replace('above: 15%', 'above: 20%') });
    expect(saved).toMatchObject({ ok: true, reloaded: false, path: rulesFile });
    expect(saved.message).toMatch(/next session/);
    expect(fs.readFileSync(rulesFile, 'utf8')).toContain('above: 20%');
    expect(alerting.rules[0].condition).toEqual({ kind: 'above', threshold: 0.15 });
  });

  it('a collector restarted mid-incident carries the firing alert on: no false resolve, no second page', async () => {
    const first = open('restart');
    const start = Date.now();
    storePayments(first.engine, 60, 40, { perSecond: 50, endMs: start }); // a minute of 40 % declines: decline-rate-spike fires
    const firing = first.alerting.evaluator.advanceTo(start + 4000).filter((x) => x.kind === 'firing');
    expect(firing.map((x) => x.rule)).toEqual(['decline-rate-spike']);
    const key = firing[0].key;
    await first.session.stop();
    sessions = sessions.filter((x) => x !== first.session);

    const second = open('restart');
    storePayments(second.engine, 30, 40, { perSecond: 50, endMs: start + 30_000 }); // the incident goes on after the restart
    const after = second.alerting.evaluator.advanceTo(start + 34_000);
    expect(after.filter((x) => x.rule === 'decline-rate-spike')).toEqual([]);
    const history = second.alerting.history.list({}).filter((r) => r.rule === 'decline-rate-spike');
    expect(history.map((r) => [r.key, r.state, r.resolvedAt])).toEqual([[key, 'firing', null]]);
    expect(second.alerting.evaluator.list().find((a) => a.rule === 'decline-rate-spike')).toMatchObject({ key, state: 'firing', firedAt: firing[0].at });
    // Once it is over, the restored alert resolves as any other, announcing it under its key.
    storePayments(second.engine, 120, 2, { perSecond: 50, endMs: start + 150_000 });
    const resolved = second.alerting.evaluator.advanceTo(start + 154_000).filter((x) => x.rule === 'decline-rate-spike');
    expect(resolved.map((x) => [x.kind, x.key])).toEqual([['resolved', key]]);
  });
});
