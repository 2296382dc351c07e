// Silences mute notifications for alerts whose labels match; the alerts keep evaluating and
// show as silenced. They run on the evaluator's clock (event time; wall time when live).
import type { AlertSilence, SilenceMatcher } from '../../../shared/alerts';
import { silenceMatcherMatches, silenceMatchersProblem } from '../../../shared/labelMatchers';

/**
 * A silence with the time it began to hold (Alertmanager's startsAt). A silence made now holds at
 * once and has none; a backtest gives stored silences theirs (silencesInForce), so each holds
 * only at the past times it was in force.
 */
export interface SilenceInForce extends AlertSilence {
  startsAt?: number;
}

export class SilenceSet {
  private readonly byId = new Map<string, SilenceInForce>();

  add(s: SilenceInForce): void {
    const problem = silenceMatchersProblem(s.matchers);
    if (problem) throw new Error(`silence: ${problem}`);
    this.byId.set(s.id, s);
  }

  expire(id: string, at: number): AlertSilence | null {
    const s = this.byId.get(id);
    if (!s || s.expiredAt !== null) return null;
    s.expiredAt = at;
    return s;
  }

  list(): AlertSilence[] {
    return [...this.byId.values()];
  }

  isActive(s: SilenceInForce, atMs: number): boolean {
    return s.expiredAt === null && atMs < s.endsAt && (s.startsAt === undefined || atMs >= s.startsAt);
  }

  /** Ids of the silences that mute these labels at `atMs`. */
  get size(): number {
    return this.byId.size;
  }

  matching(labels: Record<string, string>, atMs: number): string[] {
    const ids: string[] = [];
    for (const s of this.byId.values()) {
      if (this.isActive(s, atMs) && s.matchers.every((m: SilenceMatcher) => silenceMatcherMatches(m, labels[m.label] ?? ''))) ids.push(s.id);
    }
    return ids;
  }

  /** Forgets silences that ended long ago (they stay in the history store). */
  sweep(atMs: number, keepMs: number): void {
    for (const [id, s] of this.byId) if (Math.min(s.endsAt, s.expiredAt ?? Infinity) < atMs - keepMs) this.byId.delete(id);
  }
}
