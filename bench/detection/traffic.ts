// The traffic of one detection case, as the alert evaluator sees it (AlertInputEvent, in
// event-time order), rebuilt deterministically from the case's recipe: the simulator's
// scenarios (segments of createTrafficGenerator, each with its own anomaly window) or the
// PaySim sample drawn with replacement at a fixed attempt rate, with planted incidents.
import { readFileSync } from 'node:fs';
import type { AlertInputEvent } from '../../electron/core/alerts';
import { createRng, createTrafficGenerator, type ScenarioName } from '../../electron/core/sim';
import { parsePaysimCsv, paysimRowToEvents } from '../../electron/core/sim/paysimMapping';

/** Simulator events per payment attempt at the normal profile (measured: see corpus.test.ts; 3.96 before merchant retries, which add attempts without a new payment). */
export const SIM_EVENTS_PER_ATTEMPT = 3.92;

/** One stretch of simulator traffic: `scenario` with its anomaly at [anomalyStartMs, +anomalyDurationMs) of the stretch. */
export interface SimSegment {
  scenario: ScenarioName;
  durationMs: number;
  anomalyStartMs: number;
  anomalyDurationMs: number;
}

export interface SimTraffic {
  kind: 'sim';
  seed: number;
  attemptsPerSecond: number;
  segments: SimSegment[];
}

/** A planted incident on PaySim traffic, in ms since the start. */
export interface PaysimIncident {
  kind: 'decline-spike' | 'stall' | 'fraud-burst';
  onsetMs: number;
  endMs: number;
}

export interface PaysimTraffic {
  kind: 'paysim';
  seed: number;
  attemptsPerSecond: number;
  durationMs: number;
  incidents: PaysimIncident[];
}

export type TrafficRecipe = SimTraffic | PaysimTraffic;

export function* simEvents(recipe: SimTraffic, startMs: number): Generator<AlertInputEvent> {
  let segmentStart = startMs;
  for (let i = 0; i < recipe.segments.length; i++) {
    const s = recipe.segments[i];
    const gen = createTrafficGenerator({
      seed: recipe.seed * 101 + i,
      scenario: s.scenario,
      startMs: segmentStart,
      rate: recipe.attemptsPerSecond * SIM_EVENTS_PER_ATTEMPT,
      timings: { anomalyStartMs: s.anomalyStartMs, anomalyDurationMs: s.anomalyDurationMs },
    });
    const end = segmentStart + s.durationMs;
    while (gen.nextTimeMs() < end) {
      const e = gen.next();
      const d = e.data as { merchantId?: string; country?: string; score?: number };
      yield { type: e.type, timeMs: Date.parse(e.time), merchantId: d.merchantId ?? null, country: d.country ?? null, score: d.score ?? null };
    }
    segmentStart = end;
  }
}

/** The part of a PaySim row's lifecycle the rules read: what happens within seconds of the attempt. */
interface RowShape {
  merchantId: string;
  country: string;
  events: { type: string; dtMs: number; score: number | null }[];
}

const FAST_STEP_MS = 5_000;
let rowShapes: RowShape[] | null = null;

/** The PaySim sample's rows as lifecycles relative to their first event (mapped once). */
export function paysimShapes(csvFile: string): RowShape[] {
  if (rowShapes) return rowShapes;
  rowShapes = parsePaysimCsv(readFileSync(csvFile, 'utf8')).map((row) => {
    const events = paysimRowToEvents(row);
    const t0 = Date.parse(events[0].time);
    const first = events[0].data as { merchantId: string; country: string };
    return {
      merchantId: first.merchantId,
      country: first.country,
      events: events
        .map((e) => ({ type: e.type as string, dtMs: Date.parse(e.time) - t0, score: (e.data as { score?: number }).score ?? null }))
        .filter((e) => e.dtMs <= FAST_STEP_MS),
    };
  });
  return rowShapes;
}

/**
 * PaySim rows drawn with replacement (seeded) at `attemptsPerSecond`, each row's lifecycle
 * kept as mapped for the demo capture. Planted incidents: a decline spike turns 40 % of the
 * authorisations declined, a stall sends nothing, a fraud burst sends 30 % of new attempts to
 * one merchant as blocked card tests.
 */
export function* paysimEvents(recipe: PaysimTraffic, startMs: number, csvFile: string): Generator<AlertInputEvent> {
  const shapes = paysimShapes(csvFile);
  const rng = createRng(recipe.seed);
  const stepMs = 1000 / recipe.attemptsPerSecond;
  const pending: AlertInputEvent[] = [];
  let nextFlush = startMs;
  const total = Math.floor(recipe.durationMs / stepMs);
  const active = (t: number, kind: PaysimIncident['kind']) => recipe.incidents.some((x) => x.kind === kind && t >= x.onsetMs && t < x.endMs);
  for (let i = 0; i <= total; i++) {
    const rel = i * stepMs;
    const t = startMs + Math.round(rel);
    // Once a second, emit what can no longer be overtaken (lifecycles last at most FAST_STEP_MS).
    if (i === total || (t >= nextFlush && pending.length > 0)) {
      nextFlush = t + 1000;
      pending.sort((a, b) => a.timeMs! - b.timeMs!);
      let n = 0;
      while (n < pending.length && (i === total || pending[n].timeMs! < t - FAST_STEP_MS)) n++;
      for (const e of pending.splice(0, n)) yield e;
    }
    if (i === total) break;
    if (active(rel, 'stall')) continue;
    if (active(rel, 'fraud-burst') && rng.chance(0.3)) {
      const m = 'm_paysim_burst';
      pending.push({ type: 'payment.initiated', timeMs: t, merchantId: m, country: 'BR', score: null });
      const blocked = rng.chance(0.9);
      const score = blocked ? rng.int(85, 99) : rng.int(20, 60);
      pending.push({ type: 'risk.scored', timeMs: t + 50, merchantId: m, country: 'BR', score });
      pending.push({ type: blocked ? 'risk.blocked' : 'payment.authorized', timeMs: t + 60, merchantId: m, country: 'BR', score: blocked ? score : null });
      if (blocked) pending.push({ type: 'payment.declined', timeMs: t + 90, merchantId: m, country: 'BR', score: null });
      continue;
    }
    const shape = shapes[Math.floor(rng.float() * shapes.length)];
    const spike = active(rel, 'decline-spike');
    for (const e of shape.events) {
      const type = spike && e.type === 'payment.authorized' && rng.chance(0.4) ? 'payment.declined' : e.type;
      pending.push({ type, timeMs: t + e.dtMs, merchantId: shape.merchantId, country: shape.country, score: e.score });
    }
  }
}

export function trafficEvents(recipe: TrafficRecipe, startMs: number, paysimCsv: string): Generator<AlertInputEvent> {
  return recipe.kind === 'sim' ? simEvents(recipe, startMs) : paysimEvents(recipe, startMs, paysimCsv);
}
