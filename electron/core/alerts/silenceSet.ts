// Silences mute notifications for alerts whose labels match; the alerts keep evaluating and
// show as silenced. They run on the evaluator's clock (event time; wall time when live).
import type { AlertSilence, SilenceMatcher } from '../../../shared/alerts';
import { silenceMatcherMatches, silenceMatchersProblem } from '../../../shared/labelMatchers';

export class SilenceSet {
  private readonly byId = new Map<string, AlertSilence>();

  add(s: AlertSilence): void {
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

  isActive(s: AlertSilence, atMs: number): boolean {
    return s.expiredAt === null && atMs < s.endsAt;
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
