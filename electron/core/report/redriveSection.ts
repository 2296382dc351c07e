// The incident report's dead-letter redrives: every audited step in the window (who, when,
// which message, from where to where, the outcome), so a report says what was sent home.
import type { RedriveAuditEntry } from '../../../shared/deadLetters';
import type { ReadStore } from '../store/store';

export const REPORT_REDRIVE_STEPS = 2000;

export function redrivesIn(store: ReadStore, from: number, to: number): RedriveAuditEntry[] {
  if (!store.hasTables('redrive_audit')) return [];
  return store.redriveAudit
    .list(REPORT_REDRIVE_STEPS, from, to)
    .reverse()
    .map(({ seq: _seq, ...row }) => row);
}
