// The API's `rules` service on the engine thread: the session's rules for the editor,
// validation, and saving (which reloads the evaluator outside a replay). Backtests run on the
// read worker (backtestService.ts).
import type { ApiParsedArgs, ApiResults } from '../../../shared/api';
import type { AlertRule } from '../../../shared/alertRules';
import { validateRulesText } from '../../../shared/rulesText';
import type { RulesService as RulesServiceApi } from '../engine/engineServices';
import type { AlertingSession } from './alertingSession';

export class RulesService implements RulesServiceApi {
  constructor(private readonly session: AlertingSession) {}

  get(): ApiResults['rules.get'] {
    return this.session.rulesDocument();
  }

  validate({ text, format }: ApiParsedArgs<'rules.validate'>): ApiResults['rules.validate'] {
    const v = validateRulesText(text, format);
    return { ok: v.ok, issues: v.issues, rules: v.rules?.length ?? 0 };
  }

  save(args: ApiParsedArgs<'rules.save'> & { path?: string }): ApiResults['rules.save'] {
    return this.session.save(args);
  }

  current(): AlertRule[] {
    return [...this.session.rules];
  }
}
