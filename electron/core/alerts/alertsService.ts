// The API's `alerts` service: the session's alerts, operator actions on them, silences and
// the stored history. Silences run on the evaluator's clock: wall time live, event time in a replay.
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { ApiService } from '../../../shared/apiDispatch';
import type { AlertingSession } from './alertingSession';

export class AlertsService implements ApiService<'alerts'> {
  constructor(private readonly session: AlertingSession) {}

  list({ includeResolved, limit }: ApiParsedArgs<'alerts.list'>): ApiResults['alerts.list'] {
    return { alerts: this.session.evaluator.list({ includeResolved, limit }) };
  }

  ack({ key, by, note }: ApiParsedArgs<'alerts.ack'>): ApiResults['alerts.ack'] {
    return { ok: this.session.evaluator.acknowledge(key, by, note) };
  }

  resolveNote({ key, by, note }: ApiParsedArgs<'alerts.resolveNote'>): ApiResults['alerts.resolveNote'] {
    return { ok: this.session.evaluator.addResolveNote(key, by, note) };
  }

  silence({ matchers, durationMs, comment, by }: ApiParsedArgs<'alerts.silence'>): ApiResults['alerts.silence'] {
    const silence = this.session.evaluator.silence(matchers, this.session.now() + durationMs, comment, by);
    this.session.afterSilenceEdit();
    return silence;
  }

  expireSilence({ id }: ApiParsedArgs<'alerts.expireSilence'>): ApiResults['alerts.expireSilence'] {
    const ok = this.session.evaluator.expireSilence(id);
    this.session.afterSilenceEdit();
    return { ok };
  }

  silences(): ApiResults['alerts.silences'] {
    return this.session.evaluator.listSilences();
  }

  history(filter: ApiParsedArgs<'alerts.history'>): ApiResults['alerts.history'] {
    return withRuleMetrics(this.session.history.list(filter), this.session.evaluator.rules);
  }
}

/**
 * History records with their rule's metric, so that a peak reads in its unit ("23.0 %" for a
 * rate, as the live list shows it) rather than as the stored fraction 0.230. The metric stored
 * with the record (migration 364: the evaluator's, a burn-rate alert's, or the one a followed
 * collector sent) comes first; a row stored before it takes its loaded rule's, and a rule since
 * removed or disabled leaves it absent (a bare number).
 */
export function withRuleMetrics(records: AlertHistoryRecord[], rules: readonly Pick<AlertRule, 'name' | 'metric'>[]): AlertHistoryRecord[] {
  const metricOf = new Map(rules.map((r) => [r.name, r.metric]));
  return records.map((r) => {
    if (r.metric !== undefined) return r;
    const metric = metricOf.get(r.rule);
    return metric === undefined ? r : { ...r, metric };
  });
}
