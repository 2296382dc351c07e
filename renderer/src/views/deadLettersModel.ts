// The dead-letter view's wording, kept apart from React so it can be tested: where a redrive
// sends a selection (the confirmation names the count and each target), the explorer-style
// columns of a decoded dead letter, and the operator's own list of watched queues.
import { dryRun, type DeadLetterMessage, type DryRunSummary } from '../../../shared/deadLetters';
import type { ApiResults } from '../../../shared/api';
import { countNoun } from '../../../shared/countText';
import { formatMoney } from '../../../shared/format';
import { fmtCount, fmtCountText } from '../lib/format';
import type { CutAt } from '../components/UntrustedText';

export const DASH = '—';

/**
 * A line of the view's own words around the broker's names (a queue, an exchange and routing
 * key): a name is a part of its own, drawn isolated and cut (UntrustedText), never joined into
 * the words, where an override in it turned the rest of the line round.
 */
export type LinePart = string | { untrusted: string; cut: CutAt };

/** A queue's name in a line: cut in its middle, its end (the id) kept. */
const queuePart = (name: string): LinePart => ({ untrusted: name, cut: 'middle' });
/** A target (exchange / routing key) in a line. */
const targetPart = (t: { exchange: string; routingKey: string }): LinePart => ({ untrusted: targetLabel(t), cut: 'end' });

export function exchangeLabel(exchange: string): string {
  return exchange === '' ? '(default exchange)' : exchange;
}

export function targetLabel(t: { exchange: string; routingKey: string }): string {
  return `${exchangeLabel(t.exchange)} / ${t.routingKey}`;
}

/**
 * The messages ticked, and what a dry run or redrive asks for: a row is one message, ticked by
 * its copy id, so one of two messages with one id (a producer's retry, one id dead-lettered from
 * two queues) can be sent alone. Selecting by message id took every copy of it.
 */
export function selectedCopies(messages: readonly DeadLetterMessage[], selected: ReadonlySet<string>): { chosen: DeadLetterMessage[]; request: { copies: string[] } } {
  const chosen = messages.filter((m) => selected.has(m.copyId));
  return { chosen, request: { copies: chosen.map((m) => m.copyId) } };
}

/** What the confirmation dialog says before a redrive: the count sent, each target with its count, and what stays. */
export interface RedriveConfirmation {
  plan: DryRunSummary;
  /** Messages that would be sent (those with an x-death origin). */
  count: number;
  title: LinePart[];
  targets: { target: LinePart; count: number }[];
  staying: LinePart[] | null;
}

export function redriveConfirmation(queue: string, selected: readonly DeadLetterMessage[]): RedriveConfirmation {
  const plan = dryRun(selected);
  const count = selected.length - plan.noOrigin.length;
  const n = plan.noOrigin.length;
  return {
    plan,
    count,
    title: [`Redrive ${fmtCountText(count, 'message')} from `, queuePart(queue), '?'],
    targets: plan.targets.map((t) => ({ target: targetPart(t), count: t.count })),
    staying: n ? [`${fmtCountText(n, 'selected message')} ${countNoun(n, 'has', 'have')} no x-death origin and will stay in `, queuePart(queue), '.'] : null,
  };
}

/** The dry run's last word: where a redrive of the selection would send it, and what would stay. */
export function redrivePlanText(plan: DryRunSummary): LinePart[] {
  const targets: LinePart[] = plan.targets.length ? plan.targets.flatMap((t, i) => [i ? ', ' : '', targetPart(t), ` (${t.count})`]) : ['nowhere'];
  const n = plan.noOrigin.length;
  const staying = n ? `; ${fmtCount(n)} ${countNoun(n, 'has', 'have')} no x-death origin and would stay` : '';
  return [`A redrive would send ${fmtCount(plan.messages - plan.noOrigin.length)} to `, ...targets, `${staying}.`].filter((p) => p !== '');
}

/** The status line after a dry run of `count` messages. */
export function dryRunStatus(count: number): LinePart[] {
  return [`Dry run of ${fmtCountText(count, 'message')} done: nothing was sent or stored.`];
}

/** The status line after a redrive: what was sent, and what was not and why. */
export function redriveStatus(queue: string, r: ApiResults['deadLetters.redrive']): LinePart[] {
  const parts: LinePart[] = [`Redriven ${fmtCountText(r.redriven, 'message')} from `, queuePart(queue), ' (confirmed by the broker, then removed)'];
  if (r.removedOnly) parts.push(`; ${fmtCountText(r.removedOnly, 'message')} removed that an interrupted redrive had sent`);
  if (r.failed.length) parts.push(`; ${fmtCount(r.failed.length)} failed and ${countNoun(r.failed.length, 'stays', 'stay')} in `, queuePart(queue));
  if (r.skipped.length) parts.push(`; ${fmtCount(r.skipped.length)} skipped (no x-death origin)`);
  if (r.inDoubt.length) parts.push(`; ${fmtCount(r.inDoubt.length)} in doubt (see the audit log)`);
  parts.push('.');
  return parts;
}

/** The explorer's columns of a dead letter (a quarantine reason in place of the type when it would not decode). */
export function eventColumns(m: DeadLetterMessage): { type: string; paymentId: string; merchantId: string; amount: string; timeMs: number | null } {
  const d = m.decoded;
  if (!d.ok) return { type: `quarantine: ${d.reason}`, paymentId: DASH, merchantId: DASH, amount: DASH, timeMs: null };
  return {
    type: d.type,
    paymentId: d.paymentId ?? DASH,
    merchantId: d.merchantId ?? DASH,
    amount: d.amount === null || d.amount === undefined ? DASH : formatMoney(d.amount, d.currency),
    timeMs: d.timeMs ?? null,
  };
}

export const NAMED_QUEUES_KEY = 'payops.deadLetters.named';

/** The operator's named queues as stored (anything unreadable reads as none). */
export function parseNamedQueues(stored: string | null): string[] {
  if (!stored) return [];
  try {
    const list: unknown = JSON.parse(stored);
    return Array.isArray(list) ? [...new Set(list.filter((q): q is string => typeof q === 'string' && q.trim() !== '').map((q) => q.trim()))].slice(0, 100) : [];
  } catch {
    return [];
  }
}
