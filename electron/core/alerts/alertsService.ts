// The API's `alerts` service: the session's alerts, operator actions on them, silences and
// the stored history. Silences run on the evaluator's clock: wall time live, event time in a replay.
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
    return this.session.history.list(filter);
  }
}
