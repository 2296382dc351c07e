// Explain: which segments moved a rate between a window and its baseline, by how much, and
// whether by their own rate (rate effect) or by their share of traffic (mix effect). Reads the
// segment rollups only (migration 130), never the events: fast, and independent of how events
// are stored.
import { countText } from '../../../shared/countText';
import { declineCodeInfo } from '../../../shared/declineCodes';
import { NONE_VALUE, OTHER_VALUE, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../../shared/segments';
import { HEALTH_DIMENSIONS, twinOf, type Contributor, type DeclineCodeGrowth, type EffectKind, type Explanation, type SegmentState, type TriageMetric } from '../../../shared/triage';
import { addCounts, type SegmentCounts, type SegmentRow } from '../store/segmentRollupRepository';
import { expectedAttempts, judgeVanished, segmentVerdict, type Verdict } from './health';
import { dimensionDispersions, type SegmentDispersion } from './healthDispersion';
import { isPlaceholder, ratesText, segmentName } from './segmentWords';
import { findFlood, ownChanges, type OwnChange, type SegmentChange } from './floodConditioning';
import { shiftShare } from './shiftShare';
import { dispersion, fisherZ, percent, proportionZ, rate, twoProportionZ, Z_SEGMENT } from './stats';

/** Overall change: |z| of Fisher's exact test at least this (p < 0.0014, one-sided) and at least MIN_CHANGE points. */
export const Z_OVERALL = 3;
export { Z_SEGMENT };
/** Smallest change of the overall rate worth reporting (0.5 points). */
export const MIN_CHANGE = 0.005;
/** A segment with fewer attempts than this (on both sides for a rate effect, on either side for a mix effect: a segment that vanished moved the mix) is never significant. */
export const VOLUME_FLOOR = 20;
/**
 * A segment holding at least this share of attempts (on average over both periods) is most of
 * the traffic, not a place: "method card" or "attempt 1" would otherwise be named for every
 * change. It is left out of the contributors, unless the health board marks it degraded or down
 * (its verdict on the same minutes): then explain reports it as the board does, so that the
 * board never lists a segment that explain calls "nothing significant".
 */
export const DOMINANT_SHARE = 0.5;
/** Contributors listed (sorted by the size of their contribution), and every significant one past them. */
const MAX_CONTRIBUTORS = 25;

export const MINUTE_MS = 60_000;

export interface ExplainInput {
  metric: TriageMetric;
  fromMs: number;
  toMs: number;
  baselineFromMs: number;
  baselineToMs: number;
  window: SegmentRow[];
  baseline: SegmentRow[];
  /**
   * Every attempt's totals in slices of the baseline as long as the window (empty when none
   * fit): how far the rate wanders between windows of that length in calm traffic.
   */
  baselineSlices: SegmentCounts[];
  /**
   * The baseline's last slices as long as the window, each slice's segment rows (as the health
   * board reads them): how far each dimension's rates wander, which widens a segment's test
   * against its own baseline. Absent or under 3 slices: the binomial test.
   */
  segmentSlices?: SegmentRow[][];
  windowCodes: CodeRow[];
  baselineCodes: CodeRow[];
}

export interface CodeRow {
  dim: string;
  value: string;
  code: string;
  count: number;
}

/** The dimension every attempt has a value of (merchantId is required): its sums are the totals. */
const TOTAL_DIMENSION: SegmentDimension = 'merchantId';

export function numerator(metric: TriageMetric, c: SegmentCounts): number {
  return metric === 'approval-rate' ? c.approvals : metric === 'decline-rate' ? c.declines : c.failures;
}

function sumCounts(rows: SegmentRow[]): SegmentCounts {
  const t: SegmentCounts = { attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0, payments: 0 };
  for (const r of rows) {
    if (r.dim === TOTAL_DIMENSION) addCounts(t, r);
  }
  return t;
}

const key = (dim: string, value: string) => `${dim}\u0000${value}`;

/**
 * A stored code as the code table names it: the rollups keep codes as received, and "5" (or
 * "n7") is the table's "05" ("N7"). Counted apart, one code was listed twice, each form with
 * part of its declines and so a weaker test. A code not in the table stays as received.
 */
function tableCode(code: string): string {
  if (isFoldedCode(code)) return code;
  const info = declineCodeInfo(code);
  return info.known ? info.code : code;
}

function codeCounts(rows: CodeRow[]): { total: Map<string, number>; bySegment: Map<string, Map<string, number>> } {
  const total = new Map<string, number>();
  const bySegment = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const code = tableCode(r.code);
    if (r.dim === TOTAL_DIMENSION) total.set(code, (total.get(code) ?? 0) + r.count);
    const k = key(r.dim, r.value);
    let m = bySegment.get(k);
    if (!m) bySegment.set(k, (m = new Map()));
    m.set(code, (m.get(code) ?? 0) + r.count);
  }
  return { total, bySegment };
}

/**
 * The health board's verdict on a segment (segmentVerdict: the same function the board judges
 * its rows with, on the same rows and the same spread) when it is degraded or down and reports
 * it for this metric, else null. By approval, every such verdict (approval per payment, failures,
 * or its traffic gone, as the board's reason says): the board and explain never disagree. By the
 * decline rate, a verdict on approval or on traffic; by the failure rate, on failures or on
 * traffic; and the segment's own rate of that metric moved the worse way (an acquirer timing out
 * is no decline). Only on the board's dimensions (HEALTH_DIMENSIONS): an MCC, currency, 3-D
 * Secure or attempt number is not on the board, and explain names one only as a contributor to a
 * significant change of the whole (a verdict of its own would be the board's word where the board
 * says nothing, and more tests of calm traffic). Judged per attempt alone, a merchant whose declined payments were retried read
 * as "approval 56.7 % vs 92.1 %" on calm traffic (healthCalm.test.ts).
 */
function boardVerdict(
  metric: TriageMetric,
  dim: SegmentDimension,
  value: string,
  w: SegmentCounts,
  b: SegmentCounts,
  totals: { window: number; baseline: number },
  spread: SegmentDispersion | undefined,
): Verdict | null {
  // Traffic without the dimension ("(none)": a transfer has no issuer) is no place; the board leaves it out.
  if (value === NONE_VALUE || !HEALTH_DIMENSIONS.includes(dim)) return null;
  const verdict = segmentVerdict(value, w, b, totals, spread);
  if (verdict.state === 'ok') return null;
  if (metric === 'approval-rate' || verdict.cause === 'traffic') return verdict;
  if (verdict.cause !== (metric === 'failure-rate' ? 'failure' : 'approval')) return null;
  return numerator(metric, w) / w.attempts > numerator(metric, b) / b.attempts ? verdict : null;
}

/** How far a segment's rate of this metric moved beyond the rest of the traffic's (0 where either side has no rate). */
function beyondRest(metric: TriageMetric, ws: SegmentCounts, bs: SegmentCounts, w: SegmentCounts, b: SegmentCounts): number {
  const change = (x1: number, n1: number, x0: number, n0: number) => (n1 > 0 && n0 > 0 ? x1 / n1 - x0 / n0 : 0);
  const own = change(numerator(metric, ws), ws.attempts, numerator(metric, bs), bs.attempts);
  const rest = change(numerator(metric, w) - numerator(metric, ws), w.attempts - ws.attempts, numerator(metric, b) - numerator(metric, bs), b.attempts - bs.attempts);
  return own - rest;
}

function effectOf(rateEffect: number, mixEffect: number): EffectKind {
  const size = Math.abs(rateEffect) + Math.abs(mixEffect);
  if (size === 0) return 'rate';
  if (Math.abs(rateEffect) >= 0.75 * size) return 'rate';
  if (Math.abs(mixEffect) >= 0.75 * size) return 'mix';
  return 'both';
}

/** Declines of one code a segment needs in the window before that code can say why the segment moved. */
const CODE_FLOOR = 5;

/**
 * Codes whose share of attempts grew most, largest growth first. `significantOnly`: only those
 * that grew significantly (a segment's codes: an acquirer timing out must not be explained by a
 * code whose few declines happened to rise).
 */
function grownCodes(
  w: Map<string, number> | undefined,
  wn: number,
  b: Map<string, number> | undefined,
  bn: number,
  significantOnly = false,
): { code: string; growth: number }[] {
  const codes = new Set([...(w?.keys() ?? []), ...(b?.keys() ?? [])]);
  const out: { code: string; growth: number }[] = [];
  for (const code of codes) {
    const wc = w?.get(code) ?? 0;
    const bc = b?.get(code) ?? 0;
    const growth = (wn > 0 ? wc / wn : 0) - (bn > 0 ? bc / bn : 0);
    if (growth <= 0) continue;
    if (significantOnly && (wc < CODE_FLOOR || twoProportionZ(wc, wn, bc, bn) < Z_SEGMENT)) continue;
    out.push({ code, growth });
  }
  return out.sort((x, y) => y.growth - x.growth || x.code.localeCompare(y.code));
}

/**
 * Orders contributors in two ranks. First those whose own rate moved, significantly and the way
 * the whole moved, once the flood is set aside (floodConditioning.ts: a card-testing flood during
 * an issuer outage lowered every scheme's and acquirer's rate, and ranked by the size of their
 * change they came before the issuer): the segment that broke before the segments that merely
 * carried traffic that was not there before. Among them by their own rate effect per root of
 * their share of traffic, as below. Then every other contributor (a change of mix: a merchant
 * flooded, a merchant that grew), by the size of its contribution per root of its share of
 * traffic (|contribution| / sqrt(share)): for a rate effect that is |rate change| x sqrt(share),
 * which balances how far a segment moved against how big it is. By raw contribution a broad
 * segment that contains the culprit (the scheme of an issuer that is down) would always come
 * first, since it holds all of the culprit's change and some noise besides. Ties keep the order
 * of SEGMENT_DIMENSIONS (an issuer before its only BIN). Within one dimension the order is by
 * rank, then contribution: by the score a small segment would go before a larger one of the same
 * dimension that carries more of the change ("method transfer, 38 % of the drop" before
 * "method cash_out, 59 %" on PaySim-derived traffic).
 * A segment holding most of the traffic (listed only when the board marks it) is the whole, not
 * a place, and is of the second rank, scored by how far its rate moved beyond the rest of the
 * traffic's (`beyondRest`, times the root of its share): card at 80 % of the traffic moving with
 * everything else in a broad decline spike is the whole, and came before the issuers that spiked;
 * card falling while wallet holds is the place.
 */
interface Ranked {
  c: Contributor;
  meanShare: number;
  /** Dominant segments only: its rate's change less the rest of the traffic's. */
  beyondRest?: number;
  /** Its own change with the flood set aside, when its rate moved significantly beyond the rest's, the way the whole moved (else null). */
  own: OwnChange | null;
}

function orderContributors(list: Ranked[]): Contributor[] {
  const perRootShare = (v: number, x: Ranked) => Math.abs(v) / Math.sqrt(Math.max(x.meanShare, 1e-4));
  const score = (x: Ranked) =>
    x.own !== null
      ? Math.abs(x.own.rateEffect) / Math.sqrt(Math.max(x.own.meanShare, 1e-4))
      : x.beyondRest !== undefined
        ? Math.abs(x.beyondRest) * Math.sqrt(x.meanShare)
        : perRootShare(x.c.contribution, x);
  const rank = (x: Ranked) => (x.own !== null ? 0 : 1);
  const dimOrder = (c: Contributor) => SEGMENT_DIMENSIONS.indexOf(c.dimension);
  // On a tie a named value goes before '(none)' and '(other)': the same traffic seen as "no
  // acquirer" says less than the merchant it is ("acquirer (none)" headed a merchant's flood).
  const placeholder = (c: Contributor) => (c.value === NONE_VALUE || c.value === OTHER_VALUE ? 1 : 0);
  const ranked = [...list].sort(
    (a, b) => rank(a) - rank(b) || score(b) - score(a) || placeholder(a.c) - placeholder(b.c) || dimOrder(a.c) - dimOrder(b.c) || a.c.value.localeCompare(b.c.value),
  );
  // The values of one dimension are disjoint: none contains another, so among them (of one rank)
  // the larger contribution comes first. Each dimension keeps the places the score gave it.
  const bySize = new Map<SegmentDimension, Ranked[]>();
  for (const x of ranked) {
    const values = bySize.get(x.c.dimension);
    if (values) values.push(x);
    else bySize.set(x.c.dimension, [x]);
  }
  for (const values of bySize.values()) values.sort((a, b) => rank(a) - rank(b) || Math.abs(b.c.contribution) - Math.abs(a.c.contribution) || a.c.value.localeCompare(b.c.value));
  const taken = new Map<SegmentDimension, number>();
  const listed = ranked.slice(0, MAX_CONTRIBUTORS).map((x) => {
    const i = taken.get(x.c.dimension) ?? 0;
    taken.set(x.c.dimension, i + 1);
    return bySize.get(x.c.dimension)![i].c;
  });
  // A finding is never cut off by the list's length: an acquirer whose traffic stopped at the
  // whole's rate contributed nothing and ranks last, behind every segment that moved a little.
  // Past the cut each is smaller than its dimension's listed values, so their order holds.
  const shown = new Set(listed);
  return [...listed, ...ranked.map((x) => x.c).filter((c) => c.significant && !shown.has(c))];
}

/** The code the segment rollups count a decline without a code under (segmentRollupRepository.ts). */
const NO_CODE = 'unknown';

/**
 * What a decline code of the rollups means: a code of the table as the table says; 'unknown' is
 * the declines that carried no code, and '(other)' the codes past the first 100 seen, folded
 * together (neither is a code an issuer sent).
 */
export const isFoldedCode = (code: string): boolean => code === NO_CODE || code === OTHER_VALUE;

export function rollupCodeInfo(code: string): { meaning: string; kind: 'soft' | 'hard'; known: boolean } {
  if (code === NO_CODE) return { ...declineCodeInfo(null), known: false };
  if (code === OTHER_VALUE) return { meaning: 'Codes past the first 100 seen, counted together', kind: 'soft', known: false };
  return declineCodeInfo(code);
}

/** "code 91 issuer unavailable", "no decline code given", "codes past the first 100 seen, ...": a code in a sentence. */
export function rollupCodePhrase(code: string): string {
  const info = rollupCodeInfo(code);
  return isFoldedCode(code) ? info.meaning.toLowerCase() : `code ${code} ${info.meaning.toLowerCase()}`;
}

const METRIC_WORD: Record<TriageMetric, string> = { 'approval-rate': 'approval', 'decline-rate': 'decline', 'failure-rate': 'failure' };

export function computeExplanation(input: ExplainInput): Explanation {
  const { metric } = input;
  const w = sumCounts(input.window);
  const b = sumCounts(input.baseline);
  const x1 = numerator(metric, w);
  const x0 = numerator(metric, b);
  const r1 = rate(x1, w.attempts);
  const r0 = rate(x0, b.attempts);
  const change = r1 !== null && r0 !== null ? r1 - r0 : 0;
  // Quasi-binomial: where the baseline's own slices wander more than a binomial rate would
  // (bursty merchants, retries), the overall change must beat that wandering, not only chance.
  const overdispersion = Math.max(1, dispersion(input.baselineSlices.map((c) => ({ x: numerator(metric, c), n: c.attempts }))) ?? 1);
  // Fisher's exact test, as the board's: on a handful of attempts the normal z is far off (2 of
  // 2 declined against 2 of 54 read z 5.2, "a significant change"; by chance it is 1 in 257).
  const zOverall = fisherZ(x1, w.attempts, x0, b.attempts) / Math.sqrt(overdispersion);
  const significant = r1 !== null && r0 !== null && Math.abs(zOverall) >= Z_OVERALL && Math.abs(change) >= MIN_CHANGE;

  const wCodes = codeCounts(input.windowCodes);
  const bCodes = codeCounts(input.baselineCodes);
  const baselineBySegment = new Map(input.baseline.map((r) => [key(r.dim, r.value), r]));
  const windowBySegment = new Map(input.window.map((r) => [key(r.dim, r.value), r]));
  const segmentKeys = new Set([...windowBySegment.keys(), ...baselineBySegment.keys()]);
  const minContribution = Math.max(MIN_CHANGE / 2, 0.05 * Math.abs(change));
  const zero: SegmentCounts = { attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0, payments: 0 };
  const spreads = dimensionDispersions(input.segmentSlices ?? []);
  const totals = { window: w.attempts, baseline: b.attempts };

  const shareZ = (n1: number, n0: number) => (Math.max(n1, n0) >= VOLUME_FLOOR ? twoProportionZ(n1, w.attempts, n0, b.attempts) : 0);
  const changes = new Map<string, SegmentChange>();
  for (const k of segmentKeys) {
    const [dim, value] = k.split('\u0000') as [SegmentDimension, string];
    if (!SEGMENT_DIMENSIONS.includes(dim)) continue;
    const ws = windowBySegment.get(k) ?? zero;
    const bs = baselineBySegment.get(k) ?? zero;
    changes.set(k, { dimension: dim, value, x1: numerator(metric, ws), n1: ws.attempts, x0: numerator(metric, bs), n0: bs.attempts, zShare: Math.abs(shareZ(ws.attempts, bs.attempts)) });
  }
  const flood = findFlood([...changes.values()], w.attempts, b.attempts);
  const own = ownChanges(changes, flood, w.attempts, b.attempts);

  const contributors: Ranked[] = [];
  for (const [k, seg] of changes) {
    const ws = windowBySegment.get(k) ?? zero;
    const bs = baselineBySegment.get(k) ?? zero;
    const { dimension: dim, value } = seg;
    const meanShare = ((w.attempts > 0 ? ws.attempts / w.attempts : 0) + (b.attempts > 0 ? bs.attempts / b.attempts : 0)) / 2;
    // A segment the health board marks degraded or down is a finding whether or not the whole
    // moved: a country falling to nothing is news even when the whole's hour-to-hour swings hide
    // it. Worse only, as the board judges: on PaySim hours a method's approval rising 16 points
    // with the whole was read as a finding.
    const verdict = boardVerdict(metric, dim, value, ws, bs, totals, spreads.get(dim));
    // Most of the traffic is left out unless the board marks it degraded or down.
    if (meanShare >= DOMINANT_SHARE && verdict === null) continue;
    // Traffic that stopped is a change of share, even at the whole's rate (no contribution then).
    const stopped = verdict?.cause === 'traffic';
    const sx1 = numerator(metric, ws);
    const sx0 = numerator(metric, bs);
    const parts = shiftShare({ x1: sx1, n1: ws.attempts, x0: sx0, n0: bs.attempts }, w.attempts, b.attempts, r1 ?? 0, r0 ?? 0);
    const contribution = parts.rate + parts.mix;
    if (contribution === 0 && verdict === null) continue;
    // Exact where its counts are small: 3 failures of 20 against 1 of 250 read z 5.2 by the
    // normal approximation, a chance of 1 in 700 (explainSmallSegment.test.ts).
    const zRate = ws.attempts >= VOLUME_FLOOR && bs.attempts >= VOLUME_FLOOR ? proportionZ(sx1, ws.attempts, sx0, bs.attempts) : 0;
    const segSignificant =
      Math.abs(contribution) >= minContribution &&
      ((Math.abs(zRate) >= Z_SEGMENT && Math.abs(parts.rate) >= minContribution / 2) ||
        (seg.zShare >= Z_SEGMENT && Math.abs(parts.mix) >= minContribution / 2));
    const dominant = meanShare >= DOMINANT_SHARE;
    const segmentIsSignificant = (significant && segSignificant) || verdict !== null;
    // Its own rate with the flood set aside: moved significantly beyond the rest, the way the whole moved?
    const o = own.get(k)!;
    const ownMoved =
      segmentIsSignificant &&
      !dominant &&
      !stopped &&
      o.sides.n1 >= VOLUME_FLOOR &&
      o.sides.n0 >= VOLUME_FLOOR &&
      o.z >= Z_SEGMENT &&
      o.beyondRest * change >= 0;
    contributors.push({ meanShare, own: ownMoved ? o : null, beyondRest: dominant ? beyondRest(metric, ws, bs, w, b) : undefined, c: {
      dimension: dim,
      value,
      effect: stopped ? 'mix' : effectOf(parts.rate, parts.mix),
      contribution,
      rateEffect: parts.rate,
      mixEffect: parts.mix,
      shareOfChange: change !== 0 ? contribution / change : null,
      // Every segment of every dimension is tested: where the whole did not move significantly,
      // the few that pass the contribution test by chance are noise, not a finding (calm traffic
      // says "nothing"); only a segment that moved on its own is.
      significant: segmentIsSignificant,
      ...(verdict ? { health: { state: verdict.state as Exclude<SegmentState, 'ok'>, reason: verdict.reason } } : {}),
      window: { attempts: ws.attempts, value: rate(sx1, ws.attempts) },
      baseline: { attempts: bs.attempts, value: rate(sx0, bs.attempts) },
      topCodes:
        metric === 'failure-rate'
          ? []
          : grownCodes(wCodes.bySegment.get(k), ws.attempts, bCodes.bySegment.get(k), bs.attempts, true)
              .slice(0, 3)
              .map((c) => c.code),
    } });
  }
  const ordered = orderContributors(contributors);

  // Failures (timeouts, acquirer errors) are not declines: the codes that grew do not say why
  // failures rose, so a failure-rate explanation lists none (as its contributors' topCodes).
  const declineCodes: DeclineCodeGrowth[] = (metric === 'failure-rate' ? [] : grownCodes(wCodes.total, w.attempts, bCodes.total, b.attempts))
    .slice(0, 10)
    .map(({ code }) => {
      const info = rollupCodeInfo(code);
      const wc = wCodes.total.get(code) ?? 0;
      const bc = bCodes.total.get(code) ?? 0;
      return {
        code,
        meaning: info.meaning,
        kind: info.kind,
        window: { count: wc, perAttempt: w.attempts > 0 ? wc / w.attempts : 0 },
        baseline: { count: bc, perAttempt: b.attempts > 0 ? bc / b.attempts : 0 },
        significant: wc >= VOLUME_FLOOR && twoProportionZ(wc, w.attempts, bc, b.attempts) >= Z_SEGMENT,
      };
    });

  const iso = (ms: number) => new Date(ms).toISOString();
  const explanation: Explanation = {
    metric,
    significant,
    overdispersion,
    basis: 'per attempt',
    window: { from: iso(input.fromMs), to: iso(input.toMs), value: r1, attempts: w.attempts },
    baseline: { from: iso(input.baselineFromMs), to: iso(input.baselineToMs), value: r0, attempts: b.attempts },
    contributors: ordered,
    declineCodes,
    headline: '',
  };
  explanation.headline = headlineOf(explanation);
  return explanation;
}

/** "approval 81.0 % vs 93.0 %: issuer tamarind-card (BIN 529412) approval 12.0 % vs 93.0 %, 91 % of the drop, code 91 issuer unavailable" */
export function headlineOf(e: Explanation): string {
  const word = METRIC_WORD[e.metric];
  // Nothing to compare is not "nothing significant": a window with no traffic, or events stored
  // before payops kept segment rollups (migration 130), would read as calm. The side that has
  // attempts is quoted alone ("approval 91.0 % in the baseline"), not against "-".
  if (e.window.attempts === 0) {
    const baseline = e.baseline.value === null ? '' : ` ${percent(e.baseline.value)} in the baseline`;
    return `${word}${baseline} (per attempt): no payment attempts in the window to explain`;
  }
  if (e.baseline.attempts === 0) return `${word} ${percent(e.window.value)} (per attempt): no payment attempts in the baseline to compare with`;
  const head = `${word} ${percent(e.window.value)} vs ${percent(e.baseline.value)} (per attempt)`;
  const top = e.contributors.find((c) => c.significant);
  if (!e.significant && !top) return `${head}: nothing significant`;
  if (!top) return `${head}: a significant change, no single segment explains it`;
  // A segment that moved on its own while the whole did not: its own change is the news, and its
  // share of a change that is not significant means nothing.
  const alone = !e.significant;
  // An issuer and its only BIN range are named together; a placeholder ('(other)', '(none)') by itself.
  const twin = isPlaceholder(top.value) ? undefined : twinOf(e, top);
  const name = `${segmentName(top.dimension, top.value)}${twin && !isPlaceholder(twin.value) ? ` (${segmentName(twin.dimension, twin.value)})` : ''}`;
  // Traffic that stopped has no rate to quote, and at the whole's rate no share of the change:
  // what is news is that it stopped, as the board says "down: no attempts".
  const totals = { window: e.window.attempts, baseline: e.baseline.attempts };
  const expected = expectedAttempts(top.baseline.attempts, totals);
  if (top.effect === 'mix' && top.value !== OTHER_VALUE && judgeVanished(top.window.attempts, top.baseline.attempts, totals)) {
    const stopped = top.window.attempts === 0 ? 'traffic stopped' : 'traffic all but stopped';
    const what = `${countText(top.window.attempts, 'attempt')} in the window, about ${Math.round(expected)} expected from its baseline share of traffic (${top.baseline.attempts} in the baseline)`;
    return `${head}: ${alone ? 'not significant overall, but ' : ''}${name} ${stopped}: ${what}`;
  }
  const change = alone ? (top.window.value ?? 0) - (top.baseline.value ?? 0) : (e.window.value ?? 0) - (e.baseline.value ?? 0);
  const direction = change < 0 ? 'drop' : 'rise';
  const parts = [`${name} ${ratesText(word, top.window.value, top.baseline.value)}`];
  if (!alone && top.shareOfChange !== null) parts.push(`${Math.round(top.shareOfChange * 100)} % of the ${direction}`);
  if (top.effect !== 'rate') parts.push(top.effect === 'mix' ? 'by its share of traffic' : 'by its rate and its share of traffic');
  // Grown decline codes say why approval fell or declines rose, not why they recovered.
  const worse = e.metric === 'approval-rate' ? change < 0 : change > 0;
  const code = top.effect === 'mix' || !worse ? undefined : top.topCodes[0];
  if (code) parts.push(rollupCodePhrase(code));
  return `${head}: ${alone ? 'not significant overall, but ' : ''}${parts.join(', ')}`;
}
