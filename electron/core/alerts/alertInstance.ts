// One alert instance: a rule's episode for one group, from leaving normal until it resolves
// (after firing) or goes back to normal (without firing). Grafana's state names.
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord, AlertNote, AlertState, AlertTransition, AlertView } from '../../../shared/alerts';
import type { BaselineLevel } from './ruleCondition';
import { ruleAnnotations } from './ruleAnnotations';

/** Enough transitions for any honest flapping; beyond this only terminal ones are kept. */
const MAX_TRANSITIONS = 200;

export class AlertInstance {
  state: AlertState;
  readonly transitions: AlertTransition[] = [];
  pendingSince: number | null = null;
  firedAt: number | null = null;
  /** First tick the condition was false while firing (the keep-firing period counts from it). */
  clearSince: number | null = null;
  /** First tick of the current run of windows too thin to judge while firing (see NO_EVIDENCE_HOLD_MS). */
  unjudgedSince: number | null = null;
  /**
   * Carried over a restart pending, since when (wall time): until a tick can judge its windows
   * (empty after a restart) it stays pending rather than ending (see restoredPendingSince).
   */
  awaitingEvidenceSince: number | null = null;
  resolvedAt: number | null = null;
  endedAt: number | null = null;
  value: number | null = null;
  peakValue: number | null = null;
  private summaryText = '';
  /** The latest reading's summary, not yet written: see setSummaryFrom. */
  private pendingSummary: (() => string) | null = null;
  silenced = false;
  /** A baseline alert: the mean and band it fired against, which its recovery is judged on (null: the current ones). */
  firedAgainst: BaselineLevel | null = null;
  /** Whether a firing notification went out (a silenced alert is announced once its silence ends). */
  notifiedFiring = false;
  /**
   * Carried over a restart firing and silenced: whether its receivers were paged before the
   * silence is the notification log's to say (the router resumes from it), so its resolve is
   * announced (the router sends it only where the firing was delivered) and, if its silence
   * ends first, so is its firing (the router does not page again where it was delivered).
   */
  carriedSilenced = false;
  acknowledged: AlertNote | null = null;
  resolveNote: AlertNote | null = null;
  /**
   * How many transitions the last saved record that carried the rule's runbook and description
   * had (-1: none saved yet). A firing instance is saved at every tick, and each save is a
   * metrics stream message: the annotations (as large as the rest of the record) go with its
   * first save and each change of state; the store keeps them over saves without them.
   */
  private annotatedAt = -1;

  constructor(
    readonly key: string,
    readonly rule: AlertRule,
    readonly group: string,
    readonly groupText: string | null,
    readonly labels: Record<string, string>,
    readonly activeSince: number,
    state: AlertState,
  ) {
    this.state = state;
    this.transitions.push({ state, at: activeSince });
  }

  /** What an operator reads ("decline rate 23 %, baseline 4 % +/- 1.5 %"). */
  get summary(): string {
    if (this.pendingSummary) {
      this.summaryText = this.pendingSummary();
      this.pendingSummary = null;
    }
    return this.summaryText;
  }

  set summary(text: string) {
    this.summaryText = text;
    this.pendingSummary = null;
  }

  /**
   * The summary of the latest reading, written when it is first read: an active alert is
   * judged every tick and read far less often (formatting it every tick was a tenth of alert
   * evaluation in a replay of a month of PaySim-derived events). `write` must only read
   * values fixed when it was made.
   */
  setSummaryFrom(write: () => string): void {
    this.pendingSummary = write;
  }

  get ended(): boolean {
    return this.resolvedAt !== null || this.endedAt !== null;
  }

  moveTo(state: AlertState, at: number): void {
    if (state === this.state) return;
    this.state = state;
    const terminal = state === 'resolved' || state === 'normal';
    if (this.transitions.length < MAX_TRANSITIONS || terminal) this.transitions.push({ state, at });
  }

  /** Labels plus the pseudo-labels silences may match on. */
  matchLabels(): Record<string, string> {
    return { ...this.labels, alertname: this.rule.name, severity: this.rule.severity };
  }

  view(): AlertView {
    return {
      key: this.key,
      rule: this.rule.name,
      severity: this.rule.severity,
      labels: { ...this.labels },
      state: this.state,
      metric: this.rule.metric,
      value: this.value,
      peakValue: this.peakValue,
      summary: this.summary,
      runbookUrl: this.rule.runbookUrl,
      description: ruleAnnotations(this.rule).description,
      activeSince: this.activeSince,
      firedAt: this.firedAt,
      resolvedAt: this.resolvedAt,
      silenced: this.silenced,
      acknowledged: this.acknowledged ? { ...this.acknowledged } : null,
      transitions: this.transitions.map((t) => ({ ...t })),
    };
  }

  /** `r` (one of this instance's records) is stored. */
  saved(r: AlertHistoryRecord): void {
    if (r.description !== undefined) this.annotatedAt = r.transitions.length;
  }

  record(): AlertHistoryRecord {
    return {
      key: this.key,
      rule: this.rule.name,
      severity: this.rule.severity,
      labels: { ...this.labels },
      group: this.group,
      state: this.state,
      summary: this.summary,
      metric: this.rule.metric,
      ...(this.annotatedAt === this.transitions.length ? {} : annotationsOf(this.rule)),
      value: this.value,
      peakValue: this.peakValue,
      activeSince: this.activeSince,
      firedAt: this.firedAt,
      resolvedAt: this.resolvedAt,
      endedAt: this.endedAt,
      silenced: this.silenced,
      acknowledged: this.acknowledged ? { ...this.acknowledged } : null,
      resolveNote: this.resolveNote ? { ...this.resolveNote } : null,
      transitions: this.transitions.map((t) => ({ ...t })),
    };
  }
}

/** The history record's runbookUrl and description (a rule without a runbook leaves it out). */
function annotationsOf(rule: AlertRule): Pick<AlertHistoryRecord, 'runbookUrl' | 'description'> {
  const { description, runbookUrl } = ruleAnnotations(rule);
  return runbookUrl === null ? { description } : { description, runbookUrl };
}
