// The alerting engine: rule evaluation over event time, history in SQLite, backtests.
export { AlertEvaluator, type AlertEvaluatorOptions } from './alertEvaluator';
export { AlertHistoryStore, alertHistoryJson, type AlertHistoryFilter, type AlertHistorySink } from './alertHistoryStore';
export { backtest, Backtester, type BacktestOptions, type BacktestResult, type QueueSampleBatch } from './backtest';
export { DEFAULT_RULES, DEFAULT_RULES_YAML } from './defaultRules';
export { loadRulesFile, parseRulesText, rulesFormatOf, RulesFileError, type RulesFormat } from './loadRulesFile';
export type { AlertInputEvent } from './eventCounters';
export {
  parseRules,
  validateRules,
  RuleValidationError,
  type AlertRule,
  type AlertRuleInput,
  type RuleIssue,
} from '../../../shared/alertRules';
