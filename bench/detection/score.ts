// Scores one detection case: replays its traffic through the default pack in event time
// (the same evaluator as live, through backtest) and says, per planted incident, whether
// the expected rule fired for the expected group and how long after the onset; every other
// firing before an onset, or anywhere in normal traffic, is a false one.
import type { AlertRule } from '../../shared/alertRules';
import { backtest } from '../../electron/core/alerts';
import type { DetectionCase } from './corpus';
import { CORPUS_START_MS } from './corpus';
import { trafficEvents } from './traffic';

export interface Detection {
  caseId: string;
  rule: string;
  detected: boolean;
  /** firedAt - onset (ms), or null when missed. */
  timeToDetectMs: number | null;
}

export interface FalseFiring {
  caseId: string;
  rule: string;
  severity: string;
  group: string;
  at: number;
}

export interface CaseScore {
  caseId: string;
  events: number;
  /** Hours of traffic with no incident in it (normal cases, and incident cases before the onset). */
  normalHours: number;
  detections: Detection[];
  falseFirings: FalseFiring[];
}

/** How late a firing may come and still count as the incident's (its window drains after the end). */
const LATE_MS = 180_000;

export function scoreCase(c: DetectionCase, rules: readonly AlertRule[], paysimCsv: string): CaseScore {
  const result = backtest(rules, trafficEvents(c.recipe, CORPUS_START_MS, paysimCsv), { endMs: CORPUS_START_MS + c.durationMs });
  const fired = result.alerts.filter((a) => a.firedAt !== null);
  const claimed = new Set<string>();
  const detections = c.incidents.map((inc): Detection => {
    const hit = fired.find((a) => a.rule === inc.rule && (inc.group === '' || a.group === inc.group) && a.firedAt! >= inc.onsetMs && a.firedAt! <= inc.endMs + LATE_MS);
    // An alert that was already firing at the onset (it began earlier) does not count as a detection.
    if (hit && hit.activeSince >= inc.onsetMs - LATE_MS) claimed.add(hit.key);
    const ok = hit !== undefined && hit.activeSince >= inc.onsetMs - 10_000;
    return { caseId: c.id, rule: inc.rule, detected: ok, timeToDetectMs: ok ? hit.firedAt! - inc.onsetMs : null };
  });
  const firstOnset = c.incidents.length ? Math.min(...c.incidents.map((i) => i.onsetMs)) : Number.POSITIVE_INFINITY;
  const inIncident = (t: number) => c.incidents.some((i) => t >= i.onsetMs && t <= i.endMs + LATE_MS);
  const falseFirings = fired
    .filter((a) => !claimed.has(a.key) && a.firedAt! < firstOnset && !inIncident(a.firedAt!))
    .map((a) => ({ caseId: c.id, rule: a.rule, severity: a.severity, group: a.group, at: a.firedAt! }));
  const normalMs = Math.min(c.durationMs, firstOnset - CORPUS_START_MS);
  return { caseId: c.id, events: result.events, normalHours: normalMs / 3600_000, detections, falseFirings };
}
