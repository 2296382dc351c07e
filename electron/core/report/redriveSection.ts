// The incident report's dead-letter redrives: every audited step in the window (who, when,
// which message, from where to where, the outcome), so a report says what was sent home.
// Message ids, queues, routing keys and the step's detail (a broker error may quote a URL with
// its password, a message id a card number) are masked as free text is; the actor, an
// operator, stays as the timeline's "by" does.
import type { RedriveAuditEntry } from '../../../shared/deadLetters';
import type { ReadStore } from '../store/store';
import type { Masker } from './masking';

export const REPORT_REDRIVE_STEPS = 2000;

export function redrivesIn(store: ReadStore, from: number, to: number, masker: Masker, values: ReadonlyMap<string, string> = new Map()): RedriveAuditEntry[] {
  if (!store.hasTables('redrive_audit')) return [];
  const text = (t: string) => masker.text(t, values);
  const opt = (t: string | null) => (t === null ? null : text(t));
  return store.redriveAudit
    .list(REPORT_REDRIVE_STEPS, from, to)
    .reverse()
    .map(({ seq: _seq, ...row }) => ({
      ...row,
      messageId: text(row.messageId),
      fromQueue: text(row.fromQueue),
      toExchange: opt(row.toExchange),
      toRoutingKey: opt(row.toRoutingKey),
      detail: opt(row.detail),
    }));
}
