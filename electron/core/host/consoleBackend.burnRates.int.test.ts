// Burn-rate (SLO) rules saved from the rule editor while a live session runs. They were read
// once when the engine started: a save reloaded the threshold and baseline rules and the
// routing, but a new burn-rate rule did nothing until a restart and a removed one kept its
// alert firing (and paging, through the routing the save had just applied). A save now
// applies them at once: a new or changed one is read back over the stored events of its
// windows, a removed one's firing alert is announced resolved, and an unchanged one keeps its
// state (no second page, no false resolve).
// Through the console backend and its engine worker, as the renderer's save goes; the live
// database holds recent payments written before the console opened it (real SQLite).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { ApiArgs, ApiRequestName, ApiResults } from '../../../shared/api';
import { burningConsoles, type BurningConsole } from '../../../test/support/burningConsoleKit';
import { waitFor } from '../../../test/support/waitFor';

const THRESHOLD = fs.readFileSync(path.resolve(__dirname, '../../../e2e/fixtures/decline-rules.yaml'), 'utf8');
const SLO = (factor = 10, name = 'approval-slo') => `
burnRates:
  - name: ${name}
    objective: 97%
    sli: approval
    minVolume: 0
    windows:
      - { severity: critical, factor: ${factor}, long: 5m, short: 1m }
`;
const openConsole = burningConsoles('payops-backend-burn-');
let session: BurningConsole | null = null;
const h = <K extends ApiRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]> => session!.request(name, args);

async function open(name: string) {
  session = await openConsole(name);
  const seen: AlertNotification[] = [];
  session.backend.subscribe('alert', (n) => seen.push(n));
  const slo = () => seen.filter((n) => n.rule.endsWith('-slo')).map((n) => `${n.kind} ${n.rule}`);
  /** Pushes from the engine come on the same channel as its replies: after one more request, all sent before it are here. */
  const settled = async () => {
    await h('rules.get', {});
    return slo();
  };
  return { seen, slo, settled };
}

describe('burn-rate rules saved while a live session runs', () => {
  it('a burn-rate rule added by a save is evaluated at once over the stored events', async () => {
    const { slo, seen } = await open('added');
    expect(await h('rules.save', { text: THRESHOLD })).toMatchObject({ ok: true, reloaded: true });
    expect(await h('rules.save', { text: THRESHOLD + SLO() })).toMatchObject({ ok: true, reloaded: true });
    await waitFor(() => slo().length > 0, () => `the new SLO to fire from the stored burn (seen: ${JSON.stringify(slo())})`);
    expect(slo()).toEqual(['firing approval-slo']);
    expect(seen.find((n) => n.rule === 'approval-slo')).toMatchObject({ severity: 'critical', labels: { slo: 'approval-slo', burn_window: '5m/1m' } });
    expect((await h('alerts.history', { limit: 50 })).filter((r) => r.rule === 'approval-slo').map((r) => r.state)).toEqual(['firing']);
  });

  it('a burn-rate rule removed by a save is announced resolved and its history closed', async () => {
    const { slo, settled } = await open('removed');
    await h('rules.save', { text: THRESHOLD + SLO() });
    await waitFor(() => slo().length > 0, 'the SLO to fire');
    expect(await h('rules.save', { text: THRESHOLD })).toMatchObject({ ok: true, reloaded: true });
    await waitFor(() => slo().length > 1, () => `the removed SLO's alert to be resolved (seen: ${JSON.stringify(slo())})`);
    expect(await settled()).toEqual(['firing approval-slo', 'resolved approval-slo']);
    const history = (await h('alerts.history', { limit: 50 })).filter((r) => r.rule === 'approval-slo');
    expect(history.map((r) => r.state)).toEqual(['resolved']);
    expect(history[0].summary).toMatch(/alert rules changed/);
  });

  it('an unchanged burn-rate rule keeps its state across saves: no second page, no resolve', async () => {
    const { slo, settled } = await open('unchanged');
    await h('rules.save', { text: THRESHOLD + SLO() });
    await waitFor(() => slo().length > 0, 'the SLO to fire');
    // A threshold rule edited, the SLO as it was.
    await h('rules.save', { text: THRESHOLD.replace('above: 15%', 'above: 60%') + SLO() });
    // A second SLO added beside it.
    await h('rules.save', { text: THRESHOLD + SLO() + SLO(10, 'other-slo').replace('burnRates:\n', '') });
    await waitFor(() => slo().length > 1, 'the added SLO to fire');
    expect(await settled()).toEqual(['firing approval-slo', 'firing other-slo']);
    // Changed, still holding over the stored windows (16.7x over a 12x factor): the same alert carries on.
    await h('rules.save', { text: THRESHOLD + SLO(12) + SLO(10, 'other-slo').replace('burnRates:\n', '') });
    expect(await settled()).toEqual(['firing approval-slo', 'firing other-slo']);
    // Changed so it no longer holds (a 16.7x burn under a 20x factor): resolved; the other carries on.
    await h('rules.save', { text: THRESHOLD + SLO(20) + SLO(10, 'other-slo').replace('burnRates:\n', '') });
    expect(await settled()).toEqual(['firing approval-slo', 'firing other-slo', 'resolved approval-slo']);
    const history = (await h('alerts.history', { limit: 50 })).filter((r) => r.rule.endsWith('-slo'));
    expect(history.map((r) => `${r.rule} ${r.state}`).sort()).toEqual(['approval-slo resolved', 'other-slo firing']);
  });
});
