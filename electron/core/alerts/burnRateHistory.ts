// Burn-rate (SLO) alerts in the alert history, beside the rule evaluator's: the pages and
// tickets an SLO raised are listed by `payops alerts` and the console's History tab, with when
// they fired and resolved, as every other alert is. Each firing starts an instance; its
// resolve ends it. An instance still open when the engine stops is closed by the next start,
// as the rule evaluator's are (AlertingSession).
import type { AlertHistoryRecord, AlertNotification } from '../../../shared/alerts';
import type { AlertHistorySink } from './alertHistoryStore';
import { burnRateAlertKey } from './burnRateSession';

export class BurnRateHistory {
  private readonly open = new Map<string, AlertHistoryRecord>();

  constructor(private readonly sink: Pick<AlertHistorySink, 'saveInstances'>) {}

  /** Instances a live engine restarted on its database carries on (BurnRateSession.carryOn): their resolve closes them. */
  carryOn(records: readonly AlertHistoryRecord[]): void {
    for (const r of records) {
      const id = burnRateAlertKey(r);
      if (id !== null) this.open.set(id, r);
    }
  }

  observe(n: AlertNotification): void {
    const id = n.key ?? `${n.rule}/${JSON.stringify(n.labels)}`;
    let record = this.open.get(id);
    if (n.kind === 'firing') {
      if (record) return;
      record = {
        key: `${id}/${n.at}`,
        rule: n.rule,
        severity: n.severity,
        labels: { ...n.labels },
        group: n.group ? n.group.replace(' ', '=') : '',
        state: 'firing',
        summary: n.summary,
        ...(n.metric === undefined ? {} : { metric: n.metric }),
        ...(n.description === undefined ? {} : { description: n.description }),
        value: n.value,
        peakValue: n.value,
        activeSince: n.at,
        firedAt: n.at,
        resolvedAt: null,
        endedAt: null,
        silenced: false,
        acknowledged: null,
        resolveNote: null,
        transitions: [{ state: 'firing', at: n.at }],
      };
      this.open.set(id, record);
    } else {
      // A resolve whose firing this engine did not see (it fired before a restart) has no instance here.
      if (!record) return;
      this.open.delete(id);
      record.state = 'resolved';
      record.resolvedAt = n.at;
      record.summary = n.summary;
      record.transitions.push({ state: 'resolved', at: n.at });
    }
    try {
      this.sink.saveInstances([record]);
    } catch {
      // The store refused (disk full, a lock): the page itself went out; only its history line is missed.
    }
  }
}

/**
 * The burn-rate alerts a run's notifications describe, as history records (one per firing,
 * resolved when its resolve came): what a backtest lists beside the rule evaluator's alerts.
 */
export function burnRateAlertRecords(notifications: readonly AlertNotification[], burnRateRules: ReadonlySet<string>): AlertHistoryRecord[] {
  const records = new Map<string, AlertHistoryRecord>();
  const history = new BurnRateHistory({ saveInstances: (saved) => saved.forEach((r) => records.set(r.key, r)) });
  for (const n of notifications) if (burnRateRules.has(n.rule)) history.observe(n);
  return [...records.values()];
}
