// Alert history for the evaluator: instances, their transitions and silences, kept by the
// store's repositories (store/alertHistoryRepository.ts, store/silenceRepository.ts). The
// evaluator writes through it in one transaction per call, so a replay at full speed costs
// one commit per batch, not one per transition.
import { alertHistoryRecordToJson, type AlertHistoryJson, type AlertHistoryRecord, type AlertSilence } from '../../../shared/alerts';
import type { AlertHistoryFilter } from '../store/alertHistoryRepository';
import type { ReadStore, Store } from '../store/store';

export type { AlertHistoryFilter } from '../store/alertHistoryRepository';

/** What the evaluator writes through: the SQLite store, or an in-memory one for backtests. */
export interface AlertHistorySink {
  saveInstances(records: readonly AlertHistoryRecord[]): void;
  acknowledge(key: string, by: string, note: string, at: number): boolean;
  addResolveNote(key: string, by: string, note: string, at: number): boolean;
  saveSilence(s: AlertSilence): void;
  listSilences(activeAt?: number): AlertSilence[];
}

export class AlertHistoryStore implements AlertHistorySink {
  constructor(private readonly store: Pick<Store, 'alerts' | 'silences'>) {}

  /** Inserts or updates instances and their transitions, all in one transaction. */
  saveInstances(records: readonly AlertHistoryRecord[]): void {
    this.store.alerts.save(records);
  }

  get(key: string): AlertHistoryRecord | null {
    return this.store.alerts.get(key);
  }

  list(filter: AlertHistoryFilter = {}): AlertHistoryRecord[] {
    return this.store.alerts.list(filter);
  }

  acknowledge(key: string, by: string, note: string, at: number): boolean {
    return this.store.alerts.acknowledge(key, by, note, at);
  }

  addResolveNote(key: string, by: string, note: string, at: number): boolean {
    return this.store.alerts.addResolveNote(key, by, note, at);
  }

  /**
   * Closes instances left open by an engine that stopped that the new evaluator did not carry
   * on (`except`; see AlertEvaluator.restore): firing ones resolve, others end, each with a
   * transition at `atMs`.
   */
  closeOpenInstances(atMs: number, except: ReadonlySet<string> = new Set()): number {
    const records = this.openInstances().filter((r) => !except.has(r.key)).map((r) => {
      const fired = r.firedAt !== null;
      r.state = fired ? 'resolved' : 'normal';
      if (fired) r.resolvedAt = atMs;
      else r.endedAt = atMs;
      r.summary = `${r.summary} (closed: the engine restarted)`;
      r.transitions.push({ state: r.state, at: atMs });
      return r;
    });
    this.saveInstances(records);
    return records.length;
  }

  /** Instances neither resolved nor ended: what an engine that stopped left active. */
  openInstances(): AlertHistoryRecord[] {
    return this.store.alerts.open();
  }

  saveSilence(s: AlertSilence): void {
    this.store.silences.save(s);
  }

  /** Silences not expired by an operator and ending after `activeAt` (all when omitted). */
  listSilences(activeAt?: number): AlertSilence[] {
    return this.store.silences.list(activeAt);
  }
}

/** What `payops alerts --db FILE --json` prints: fired alerts, newest first, times in ISO. */
export function alertHistoryJson(store: Pick<ReadStore, 'alerts'>, filter: AlertHistoryFilter & { includeUnfired?: boolean } = {}): AlertHistoryJson[] {
  const { includeUnfired, ...rest } = filter;
  return store.alerts.list({ firedOnly: !includeUnfired, ...rest }).map(alertHistoryRecordToJson);
}
