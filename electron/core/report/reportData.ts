// The incident report as data. Figures for whole seconds come from the per-second rollups
// and the partial seconds at either edge of the window from the raw events, so a window may
// cut through a second and still be exact (half-open: from <= time_ms < to). Top lists need
// one pass over the window's events (served by the time index).
import { explanationIn } from './explanationSection';
import { redrivesIn } from './redriveSection';
import type { AlertHistoryJson, AlertSilence } from '../../../shared/alerts';
import type { EventFilter, ReportAlert, ReportData, ReportFigures, ReportSeriesPoint, ReportSilence, ReportTimelineEntry } from '../../../shared/explorer';
import { alertHistoryRecordToJson } from '../../../shared/alerts';
import { PAYMENT_LOOKUP_MS } from '../store/reportQueries';
import type { ReadStore } from '../store/store';
import { formatFixed, formatInteger, formatMoney, formatPercent } from '../../../shared/format';
import { countText } from '../../../shared/countText';
import { quotedValue } from '../../../shared/quotedValue';
import { addCell, bump, emptyFigures, settleFigures, sortKeys } from './figureCells';
import { filteredFigures, filteredWindow } from './filteredReport';
import { Masker } from './masking';
import { maskAlertTexts, maskedLabelValues, maskLabel } from './alertMasking';
import { runbookUrlShared } from '../alerts/ruleAnnotations';
import { filterConditions, filterSentenceParts, maskedConditions } from './reportFilter';
import { joinSentences, sentenceText, value, type Sentence } from './sentence';
import { bucketFor, rankTopLists, type TopLists } from './topListRanking';

export { bucketFor, type TopLists };

export interface ReportRequest {
  from?: number;
  to?: number;
  alertKey?: string;
  marginMinutes?: number;
  title?: string;
  notes?: string;
  mask?: boolean;
  maskFields?: readonly string[];
  /** Rows in each top list (default 10). */
  topN?: number;
  /** Events in the sample (default 40). */
  sampleSize?: number;
  /**
   * Only the events this explorer filter matches (its own from/to give way to the window): the
   * figures, top lists, series and sample; alerts, silences, redrives and the explanation are the window's.
   */
  filter?: EventFilter;
}

export class ReportWindowError extends Error {}

const DEFAULT_MARGIN_MIN = 15;
const DAY_MS = 86_400_000;

export interface ResolvedWindow {
  from: number;
  to: number;
  alert: AlertHistoryJson | null;
  marginMinutes: number | null;
}

/**
 * The report's window: from an alert (a margin before it fired, to a margin after it
 * resolved; still firing: up to the newest stored event), or the given range; with neither,
 * the last 24 hours of stored events.
 */
export function resolveWindow(store: ReadStore, req: ReportRequest): ResolvedWindow {
  if (req.alertKey !== undefined) {
    if (!store.hasTables('alert_instances')) throw new ReportWindowError('this database has no alert history');
    const record = store.alerts.get(req.alertKey);
    if (!record) throw new ReportWindowError(`no alert "${req.alertKey}" in this database`);
    const margin = (req.marginMinutes ?? DEFAULT_MARGIN_MIN) * 60_000;
    const start = record.firedAt ?? record.activeSince;
    const end = record.resolvedAt ?? record.endedAt;
    // Still firing: up to the newest stored event (a margin after "now" would be future time).
    const to = end !== null ? end + margin : Math.max(start, store.events.newestTime() ?? start) + 1;
    return {
      from: req.from ?? Math.round(start - margin),
      to: req.to ?? Math.round(to),
      alert: alertHistoryRecordToJson(record),
      marginMinutes: req.marginMinutes ?? DEFAULT_MARGIN_MIN,
    };
  }
  let from = req.from;
  let to = req.to;
  if (to === undefined) {
    const last = store.events.newestTime();
    to = last === null ? Date.now() : last + 1;
  }
  if (from === undefined) from = to - DAY_MS;
  if (!(to > from)) throw new ReportWindowError(`the window is empty: "to" (${iso(to)}) must be after "from" (${iso(from)})`);
  return { from, to, alert: null, marginMinutes: null };
}

const iso = (ms: number) => new Date(ms).toISOString();



/**
 * [from, to) as the per-second rollups can serve it: its whole seconds [s0, s1) (none when it
 * holds no whole second), and the parts of seconds at either edge, each within one second, which
 * the raw events serve (a rollup's edge second holds events outside the window).
 */
function secondsOf(from: number, to: number): { whole: [number, number] | null; parts: [number, number][] } {
  const s0 = Math.ceil(from / 1000);
  const s1 = Math.floor(to / 1000);
  if (s0 > s1) return { whole: null, parts: [[from, to]] }; // inside one second
  const parts: [number, number][] = [];
  if (from < s0 * 1000) parts.push([from, s0 * 1000]);
  if (s1 * 1000 < to) parts.push([s1 * 1000, to]);
  return { whole: s0 < s1 ? [s0, s1] : null, parts };
}

/**
 * Counts, amounts and rates for [from, to). Events by type are counted exactly on the
 * (type, time_ms) index (index-only, no table reads); amounts, decline codes and risk
 * decisions come from the per-second rollups for whole seconds plus the raw events of the
 * partial seconds at either edge; payments from the per-minute rollups for whole minutes plus
 * the payments that started in the partial minutes at either edge (PaymentStarts).
 */
export function windowFigures(store: ReadStore, from: number, to: number, types: string[] = store.reports.types(), payments?: PaymentStarts): ReportFigures {
  const f = emptyFigures();
  if (!(to > from)) return f;
  for (const t of types) {
    const n = store.reports.countOfType(t, from, to);
    if (n > 0) addCell(f, 'type', t, n, 0);
  }
  const { whole, parts } = secondsOf(from, to);
  if (whole) for (const r of store.rollups.sumsExceptType(whole[0], whole[1])) addCell(f, r.dim, r.key, r.n, r.a);
  for (const [a, b] of parts) {
    for (const r of store.reports.figureGroups(a, b)) {
      if (r.type === 'payment.authorized') addCell(f, 'authorized', r.currency, r.n, r.a);
      else if (r.type === 'payment.declined') addCell(f, 'decline', r.code, r.n, 0);
      else if (r.type === 'payment.failed') addCell(f, 'failed', r.currency, r.n, r.a);
      // As the rollups count them (eventWriter): one decision per risk.scored event.
      else if (r.type === 'risk.scored') addCell(f, 'decision', r.decision, r.n, 0);
    }
  }
  // Per payment: whole minutes from the per-minute rollups, the part-minutes at either edge
  // from the stored events (PaymentStarts), so that any window is exact.
  if (store.hasTables('rollup_minute')) {
    const starts = payments ?? new PaymentStarts(store);
    const addStarts = (a: number, b: number) => {
      const p = starts.between(a, b);
      f.payments += p.started;
      f.approvedPayments += p.approved;
    };
    const m0 = Math.ceil(from / 60_000);
    const m1 = Math.floor(to / 60_000);
    if (m1 >= m0) {
      if (m1 > m0) {
        for (const r of store.minuteRollups.totals('payment', m0, m1)) {
          if (r.key === 'started') f.payments += r.n;
          else if (r.key === 'approved') f.approvedPayments += r.n;
        }
      }
      if (from < m0 * 60_000) addStarts(from, m0 * 60_000);
      if (m1 * 60_000 < to) addStarts(m1 * 60_000, to);
    } else addStarts(from, to); // inside one minute
  }
  return settleFigures(f, from, to);
}


/**
 * The payments that started in a part of a minute, as the per-minute rollups count them
 * (paymentOutcomes.ts): the attempts (authorized, declined, failed) of one paymentId are one payment, started at its
 * earliest attempt and approved if any attempt was; an attempt without a paymentId is a payment
 * of its own. A payment's attempts are looked for however far apart (PAYMENT_LOOKUP_MS), as the
 * writer groups them. Each minute is read once from the stored events
 * and kept (a report's window and the one before share an edge):
 * - its attempts give the payments seen in it, each at its first attempt in the minute;
 * - the minute's rollup says how many of them started in it and were approved: when every one
 *   seen started there and was approved there as often as the rollup says, nothing else is read;
 *   otherwise the payment index says which have an earlier attempt (they began before) and which
 *   were approved by a later one.
 */
export class PaymentStarts {
  /** minute -> the payments that started in it: [start ms, approved]. */
  private readonly minutes = new Map<number, [number, boolean][]>();

  constructor(private readonly store: ReadStore) {}

  /** Payments started in [from, to), both within one minute. */
  between(from: number, to: number): { started: number; approved: number } {
    let started = 0;
    let approved = 0;
    if (!(to > from)) return { started, approved };
    for (const [t, ok] of this.ofMinute(Math.floor(from / 60_000))) {
      if (t < from || t >= to) continue;
      started += 1;
      if (ok) approved += 1;
    }
    return { started, approved };
  }

  private ofMinute(minute: number): [number, boolean][] {
    const known = this.minutes.get(minute);
    if (known) return known;
    const lo = minute * 60_000;
    const hi = lo + 60_000;
    const out: [number, boolean][] = [];
    /** paymentId -> [first attempt in the minute, approved by an attempt so far]. */
    const seen = new Map<string, [number, boolean]>();
    for (const [id, t, ok] of this.store.reports.paymentAttempts(lo, hi)) {
      if (id === null) {
        out.push([t, ok === 1]);
        continue;
      }
      const e = seen.get(id);
      if (!e) seen.set(id, [t, ok === 1]);
      else {
        if (t < e[0]) e[0] = t;
        if (ok === 1) e[1] = true;
      }
    }
    const rolled = { started: 0, approved: 0 };
    for (const r of this.store.minuteRollups.totals('payment', minute, minute + 1)) {
      if (r.key === 'started') rolled.started += r.n;
      else if (r.key === 'approved') rolled.approved += r.n;
    }
    if (out.length + seen.size !== rolled.started) {
      // Some of them began before this minute: an earlier attempt within the horizon says which.
      const earliest = new Map<string, number>();
      for (const [id, t] of this.store.reports.attemptsOfPayments([...seen.keys()], lo - PAYMENT_LOOKUP_MS, lo)) {
        if (id !== null) earliest.set(id, Math.min(t, earliest.get(id) ?? t));
      }
      for (const [id, t] of earliest) if (t >= seen.get(id)![0] - PAYMENT_LOOKUP_MS) seen.delete(id);
    }
    const approvedHere = out.filter(([, ok]) => ok).length + [...seen.values()].filter(([, ok]) => ok).length;
    if (approvedHere !== rolled.approved) {
      // Some were declined here and approved by a later attempt.
      const open = [...seen].filter(([, [, ok]]) => !ok).map(([id]) => id);
      for (const [id, t, ok] of this.store.reports.attemptsOfPayments(open, hi, hi + PAYMENT_LOOKUP_MS)) {
        const e = id === null ? undefined : seen.get(id);
        if (e && ok === 1 && t < e[0] + PAYMENT_LOOKUP_MS) e[1] = true;
      }
    }
    for (const e of seen.values()) out.push(e);
    this.minutes.set(minute, out);
    return out;
  }
}




/**
 * Top merchants, countries, decline codes and card BINs of [from, to).
 * - merchants: ReportQueries.merchantCounts (an index-only count per merchant, so the
 *   busiest merchants cost no more than the quiet ones, and one pass over the index's tail);
 * - declines (per merchant, country, BIN and code): the window's payment.declined rows
 *   through (type, time_ms);
 * - events per country and BIN: one pass over the window's rows (time index).
 */
export function topLists(store: ReadStore, from: number, to: number, masker: Masker, topN = 10): TopLists {
  const merchants = new Map<string, [number, number]>();
  const countries = new Map<string, [number, number]>();
  const bins = new Map<string, [number, number]>();
  const codes = new Map<string, number>();
  if (to > from) {
    for (const [m, n] of store.reports.merchantCounts(from, to)) merchants.set(m, [n, 0]);
    const perCountry = new Map<string, number>();
    const perBin = new Map<string, number>();
    for (const [m, c, bin, code] of store.reports.declines(from, to)) {
      if (m !== null) merchants.get(m)![1] += 1;
      if (c !== null) perCountry.set(c, (perCountry.get(c) ?? 0) + 1);
      if (bin !== null) perBin.set(bin, (perBin.get(bin) ?? 0) + 1);
      const k = code ?? 'unknown';
      codes.set(k, (codes.get(k) ?? 0) + 1);
    }
    // Countries and BINs: one pass, grouped by (country, BIN) in 10-minute slices (small
    // sorts inside SQLite beat a JavaScript call per row), merged here.
    const pairs = new Map<string, number>();
    const SLICE_MS = 600_000;
    for (let lo = from; lo < to; lo += SLICE_MS) {
      for (const [k, n] of store.reports.countryBinCounts(lo, Math.min(to, lo + SLICE_MS))) pairs.set(k, (pairs.get(k) ?? 0) + n);
    }
    for (const [k, n] of pairs) {
      const comma = k.indexOf(',');
      const c = k.slice(0, comma);
      const bin = k.slice(comma + 1);
      if (c) {
        const ce = countries.get(c);
        if (ce) ce[0] += n;
        else countries.set(c, [n, perCountry.get(c) ?? 0]);
      }
      if (bin) {
        const be = bins.get(bin);
        if (be) be[0] += n;
        else bins.set(bin, [n, perBin.get(bin) ?? 0]);
      }
    }
  }
  return rankTopLists({ merchants, countries, bins, codes }, masker, topN);
}




/**
 * Chart series: throughput by type and the decline rate from index-only counts per bucket
 * and type; risk decisions from the rollups; queue depth from the samples.
 */
export function reportSeries(store: ReadStore, from: number, to: number, types: string[] = store.reports.types()): ReportData['series'] {
  const bucketMs = bucketFor(to - from);
  const bs = bucketMs / 1000;
  const start = Math.floor(Math.floor(from / 1000) / bs) * bs; // bucket-aligned, in seconds
  const nBuckets = Math.max(1, Math.ceil((to - start * 1000) / bucketMs));
  const mk = (): ReportSeriesPoint[] => Array.from({ length: nBuckets }, (_, i) => ({ t: (start + i * bs) * 1000, values: {} }));
  const throughput = mk();
  const decisions = mk();
  const auth = new Array<number>(nBuckets).fill(0);
  const decl = new Array<number>(nBuckets).fill(0);
  const failed = new Array<number>(nBuckets).fill(0);
  for (const type of types) {
    for (let i = 0; i < nBuckets; i++) {
      const lo = Math.max(from, (start + i * bs) * 1000);
      const hi = Math.min(to, (start + (i + 1) * bs) * 1000);
      if (hi <= lo) continue;
      const n = store.reports.countOfType(type, lo, hi);
      if (n === 0) continue;
      throughput[i].values[type] = n / ((hi - lo) / 1000); // per second of the bucket inside the window
      if (type === 'payment.authorized') auth[i] = n;
      else if (type === 'payment.declined') decl[i] = n;
      else if (type === 'payment.failed') failed[i] = n;
    }
  }
  // Decisions of whole seconds from the rollups, of the part seconds at either edge from the
  // events (as windowFigures counts them): the rollups' edge seconds hold decisions outside the window.
  const { whole, parts } = secondsOf(from, to);
  if (whole) for (const r of store.rollups.decisionsByBucket(start, bs, whole[0], whole[1])) if (r.b >= 0 && r.b < nBuckets) bump(decisions[r.b].values, r.key, r.n);
  for (const [a, b] of parts) {
    // A part second lies in one bucket (buckets are whole seconds, aligned on seconds).
    const i = Math.floor((Math.floor(a / 1000) - start) / bs);
    for (const r of store.reports.figureGroups(a, b)) if (r.type === 'risk.scored' && i >= 0 && i < nBuckets) bump(decisions[i].values, r.decision, r.n);
  }
  const declineRate = throughput.map((p, i): ReportSeriesPoint => {
    const attempts = auth[i] + decl[i] + failed[i];
    return { t: p.t, values: attempts > 0 ? { declineRate: decl[i] / attempts } : ({} as Record<string, number>) };
  });
  const depthRows = store.queueSamples.deepestByBucket(start * 1000, bucketMs, from, to);
  const queueDepth = mk();
  for (const r of depthRows) if (r.b >= 0 && r.b < nBuckets) queueDepth[r.b].values[r.queue] = r.m;
  return { bucketMs, throughput, declineRate, riskDecisions: decisions, queueDepth };
}

/** The list of alerts a report shows (counted in full by alertCountsIn). */
export const REPORT_ALERTS_LISTED = 500;

function alertsIn(store: ReadStore, from: number, to: number, extra: AlertHistoryJson | null): AlertHistoryJson[] {
  if (!store.hasTables('alert_instances')) return extra ? [extra] : [];
  const list = store.alerts.firingIn(from, to, REPORT_ALERTS_LISTED).map(alertHistoryRecordToJson);
  if (extra && !list.some((a) => a.key === extra.key)) list.push(extra);
  list.sort((a, b) => (a.activeSince < b.activeSince ? -1 : a.activeSince > b.activeSince ? 1 : a.key < b.key ? -1 : 1));
  return list;
}

/** Every alert firing at some point in [from, to), counted per severity and rule. */
export function alertCountsIn(store: ReadStore, from: number, to: number): ReportData['alertCounts'] {
  const counts: ReportData['alertCounts'] = { total: 0, bySeverity: {}, byRule: {} };
  if (!store.hasTables('alert_instances') || !(to > from)) return counts;
  for (const r of store.alerts.firingCounts(from, to)) {
    counts.total += r.n;
    bump(counts.bySeverity, r.severity, r.n);
    bump(counts.byRule, r.rule, r.n);
  }
  return counts;
}

const matcherText = (s: AlertSilence, masker: Masker) =>
  s.matchers.map((m) => `${m.label}${m.op}${maskLabel(m.label, m.value, masker)}`).join(', ');

/** Silences active at some point in [from, to): created before its end, not ended or expired before its start. */
function silencesIn(store: ReadStore, from: number, to: number): AlertSilence[] {
  if (!store.hasTables('alert_silences')) return [];
  return store.silences.list().filter((s) => s.createdAt < to && Math.min(s.endsAt, s.expiredAt ?? Infinity) > from);
}

function toReportSilence(s: AlertSilence, masker: Masker, values: ReadonlyMap<string, string>): ReportSilence {
  return {
    id: s.id,
    matchers: matcherText(s, masker),
    comment: masker.text(s.comment, values),
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    endsAt: iso(s.endsAt),
    expiredAt: s.expiredAt === null ? null : iso(s.expiredAt),
  };
}

const STATE_KIND: Record<string, ReportTimelineEntry['kind']> = { pending: 'pending', firing: 'firing', resolved: 'resolved' };

/**
 * What happened to the window's alerts, in time order: every state change, acknowledgement
 * and note of the listed alerts, and when each silence began and ended.
 */
function timelineOf(alerts: ReportAlert[], silences: ReportSilence[]): ReportTimelineEntry[] {
  const out: ReportTimelineEntry[] = [];
  const at = (text: string) => ({ at: text, atMs: Date.parse(text) });
  for (const a of alerts) {
    const who = { rule: a.rule, severity: a.severity, group: a.group };
    for (const t of a.transitions) {
      out.push({ ...at(t.at), kind: STATE_KIND[t.state] ?? 'state', ...who, by: null, text: t.state === 'firing' ? `fired: ${a.summary}` : `${t.state}` });
    }
    if (a.acknowledged) out.push({ ...at(a.acknowledged.at), kind: 'acknowledged', ...who, by: a.acknowledged.by, text: a.acknowledged.note ? `acknowledged: ${a.acknowledged.note}` : 'acknowledged' });
    if (a.resolveNote) out.push({ ...at(a.resolveNote.at), kind: 'note', ...who, by: a.resolveNote.by, text: `note: ${a.resolveNote.note}` });
  }
  for (const s of silences) {
    const who = { rule: null, severity: null, group: s.matchers };
    out.push({ ...at(s.createdAt), kind: 'silenced', ...who, by: s.createdBy, text: `silenced until ${s.endsAt}${s.comment ? `: ${s.comment}` : ''}` });
    const end = s.expiredAt ?? s.endsAt;
    out.push({ ...at(end), kind: 'silence-ended', ...who, by: s.expiredAt ? s.createdBy : null, text: s.expiredAt ? 'silence expired early by an operator' : 'silence ended' });
  }
  return out.sort((x, y) => x.atMs - y.atMs || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0));
}

function toReportAlert(a: AlertHistoryJson): ReportAlert {
  return {
    key: a.key,
    rule: a.rule,
    severity: a.severity,
    group: a.group,
    summary: a.summary,
    state: a.state,
    ...(a.metric === undefined ? {} : { metric: a.metric }),
    ...runbookOf(a),
    ...(a.description === undefined ? {} : { description: a.description }),
    value: a.value,
    peakValue: a.peakValue,
    activeSince: a.activeSince,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    acknowledged: a.acknowledged,
    resolveNote: a.resolveNote,
    transitions: a.transitions,
  };
}

/**
 * The record's runbook as a webhook sends it: a record keeps it with any login or token already
 * written `***`, and a report (a file that is mailed and attached to tickets) hides them again
 * rather than trust every record to have been stored so.
 */
function runbookOf(a: AlertHistoryJson): Pick<ReportAlert, 'runbookUrl'> {
  const shared = runbookUrlShared(a.runbookUrl);
  return shared === null ? {} : { runbookUrl: shared };
}

/** A sample: the newest declines and blocks of the window and the newest events, masked. */
export function sampleEvents(store: ReadStore, from: number, to: number, masker: Masker, size = 40): Record<string, unknown>[] {
  if (!(to > from) || size <= 0) return [];
  const half = Math.ceil(size / 2);
  const bad = store.reports.newestProblems(from, to, half);
  const recent = store.reports.newest(from, to, size);
  const seen = new Set<number>();
  const picked = [...bad, ...recent].filter((r) => (seen.has(r.seq) ? false : (seen.add(r.seq), true))).slice(0, size);
  picked.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
  return picked.map((r) => masker.cloudEvent(r.json));
}

const pct = (r: number | null) => (r === null ? 'n/a' : formatPercent(r, 2));
const int = formatInteger;
/** `1 event`, `2 events`, the count grouped as the report writes numbers. */
const count = (n: number, one: string, other?: string) => countText(n, one, other, int);

function relChange(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}

/** The summary's sentences, values apart (the HTML isolates them); the JSON's summary is their text. */
export function summarySentences(d: Omit<ReportData, 'summary' | 'tookMs'>): Sentence[] {
  const t = d.totals;
  const p = d.previous.totals;
  const lines: Sentence[] = d.filter ? [filterSentenceParts(d.filter)] : [];
  const hours = d.window.durationMs / 3_600_000;
  lines.push([
    `${count(t.events, 'event')} from ${d.window.from} to ${d.window.to} (${hours >= 1 ? `${formatFixed(hours, 1)} h` : `${formatFixed(d.window.durationMs / 60_000, 1)} min`}), against ${int(p.events)} in the same length of time before.`,
  ]);
  lines.push([
    `Approval rate per attempt ${pct(t.approvalRate)} (before: ${pct(p.approvalRate)}), per payment ${pct(t.paymentApprovalRate)} of ${count(t.payments, 'payment')} (before: ${pct(p.paymentApprovalRate)}); decline rate ${pct(t.declineRate)} (before: ${pct(p.declineRate)}); ${count(t.declined, 'decline')}, ${count(t.failed, 'technical failure')}.`,
  ]);
  // One amount per currency, each in its own minor units: never a sum across currencies.
  // A total past 2^53 minor units is a double's nearest value, not the exact sum: it says so.
  const amounts = Object.entries(t.authorizedAmountByCurrency).map(([c, a]): Sentence => [Number.isSafeInteger(a) ? '' : 'about ', value(formatMoney(a, c || null))]);
  if (amounts.length) lines.push(['Authorized: ', ...joinSentences(amounts, ', '), '.']);
  if (t.declined) lines.push([`Declines: ${int(t.softDeclines)} soft (may be approved on retry), ${int(t.hardDeclines)} hard (will not be, as they are).`]);
  const scored = Object.values(t.riskDecisions).reduce((x, y) => x + y, 0);
  if (scored) {
    lines.push([
      `Risk: ${count(scored, 'payment scored', 'payments scored')}, ${int(t.riskDecisions.block ?? 0)} blocked, ${int(t.riskDecisions.review ?? 0)} sent to review, ${int(t.riskDecisions.approve ?? 0)} approved (${int(t.byType['risk.blocked'] ?? 0)} risk.blocked and ${count(t.byType['risk.flagged'] ?? 0, 'risk.flagged event')}).`,
    ]);
  }
  if (d.topMerchants.length) {
    const m = d.topMerchants[0];
    const others = (d.topMerchantsTied ?? 1) - 1;
    const id = value(quotedValue(m.merchantId));
    lines.push(
      others > 0
        ? ['Most active merchant: ', id, ` and ${count(others, 'other')}, ${count(m.events, 'event')} each (`, id, `: ${count(m.declines, 'decline')}).`]
        : ['Most active merchant: ', id, ` (${count(m.events, 'event')}, ${count(m.declines, 'decline')}).`],
    );
  }
  if (d.topDeclineCodes.length) {
    const c = d.topDeclineCodes[0];
    lines.push(['Most frequent decline code: ', value(quotedValue(c.declineCode)), ` ${c.meaning} (${c.kind}, ${int(c.events)}).`]);
  }
  // Refused messages are no events: without this line a report of a producer sending malformed
  // events (an amount as a string) read as a quiet window.
  if (d.quarantined) {
    lines.push([`${count(d.quarantined, 'message')} arrived in the window and ${d.quarantined === 1 ? 'was' : 'were'} quarantined (refused as invalid, not counted above; the explorer's quarantine browser shows ${d.quarantined === 1 ? 'it' : 'them'}).`]);
  }
  const ac = d.alertCounts;
  if (ac.total) {
    const sev = ['critical', 'warning', 'info'].filter((s) => ac.bySeverity[s]).map((s) => `${int(ac.bySeverity[s])} ${s}`);
    lines.push([`${count(ac.total, 'alert')} firing in the window (${sev.join(', ')}): `, ...joinSentences(Object.keys(ac.byRule).map((r) => [value(r)]), ', '), '.']);
  } else lines.push(['No alert fired in the window.']);
  if (d.silences.length) lines.push([`${count(d.silences.length, 'silence')} active in the window.`]);
  return lines;
}

function summaryLines(d: Omit<ReportData, 'summary' | 'tookMs'>): string[] {
  return summarySentences(d).map(sentenceText);
}

/**
 * Builds the whole report (figures, comparison, top lists, series, alerts, sample), read as of
 * one moment: a collector writing meanwhile cannot make its totals, top lists and counts disagree.
 */
export function buildReport(store: ReadStore, req: ReportRequest): ReportData {
  return store.readConsistent(() => buildReportNow(store, req));
}

/**
 * Figures whose decline codes and event types are shown masked: both are whatever the producer
 * wrote, and some write a card number or an e-mail address in them (keys that mask alike add up).
 */
function maskedCodes(f: ReportFigures, masker: Masker): ReportFigures {
  if (!masker.enabled) return f;
  const rekey = (m: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(m)) bump(out, String(masker.scrub(k)), n);
    return sortKeys(out);
  };
  return { ...f, declinesByCode: rekey(f.declinesByCode), byType: rekey(f.byType) };
}

/** Chart series whose per-type values are keyed by the masked type names (maskedCodes). */
function maskedSeries(series: ReportData['series'], masker: Masker): ReportData['series'] {
  if (!masker.enabled) return series;
  const rekey = (values: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(values)) bump(out, String(masker.scrub(k)), v);
    return out;
  };
  return { ...series, throughput: series.throughput.map((p) => ({ ...p, values: rekey(p.values) })) };
}

function buildReportNow(store: ReadStore, req: ReportRequest): ReportData {
  const started = performance.now();
  const w = resolveWindow(store, req);
  const masker = new Masker({ enabled: req.mask !== false, extraFields: req.maskFields });
  const duration = w.to - w.from;
  const prevFrom = w.from - duration;
  const conditions = filterConditions(req.filter);
  const events = conditions ? filteredEvents(store, conditions, w, masker, req) : windowEvents(store, w, masker, req);
  const { totals, previous, tops } = events;
  const listed = alertsIn(store, w.from, w.to, w.alert);
  const active = silencesIn(store, w.from, w.to);
  // Masked fields' values wherever the report repeats them in text (keys, summaries, notes, title).
  const values = maskedLabelValues(w.alert ? [...listed, w.alert] : listed, active.flatMap((s) => s.matchers), masker);
  const text = (t: string) => masker.text(t, values);
  // Alert labels can carry masked fields (a card BIN; a merchant id when merchantId is in the list): masked in every text of the alert.
  const alerts = listed.map((a) => maskAlertTexts(toReportAlert(a), masker, values));
  const silences = active.map((s) => toReportSilence(s, masker, values));
  const title = text(
    req.title ??
      (w.alert ? `Incident report: ${w.alert.rule}${w.alert.group ? ` (${w.alert.group})` : ''}` : `Payment operations report ${iso(w.from).slice(0, 16)}Z`),
  );
  const base: Omit<ReportData, 'summary' | 'tookMs'> = {
    title,
    generatedAt: new Date().toISOString(),
    window: { from: iso(w.from), to: iso(w.to), fromMs: w.from, toMs: w.to, durationMs: duration },
    source: { alertKey: w.alert ? text(w.alert.key) : null, marginMinutes: w.marginMinutes },
    masked: masker.enabled,
    maskFields: masker.fields,
    totals,
    previous: { window: { from: iso(prevFrom), to: iso(w.from) }, totals: previous },
    change: {
      events: relChange(totals.events, previous.events),
      approvalRate: totals.approvalRate !== null && previous.approvalRate !== null ? totals.approvalRate - previous.approvalRate : null,
      declineRate: totals.declineRate !== null && previous.declineRate !== null ? totals.declineRate - previous.declineRate : null,
    },
    alerts,
    quarantined: store.hasTables('quarantine') ? store.quarantine.countArrived(w.from, w.to) : 0,
    alertCounts: alertCountsIn(store, w.from, w.to),
    silences,
    timeline: timelineOf(alerts, silences),
    redrives: redrivesIn(store, w.from, w.to, masker, values),
    explanation: explanationIn(store, w.from, w.to, w.alert, masker),
    ...tops,
    series: maskedSeries(events.series, masker),
    notes: req.notes?.trim() ? text(req.notes.trim()) : null,
    sampleEvents: events.sample,
    ...(conditions ? { filter: maskedConditions(conditions, masker) } : {}),
  };
  return { ...base, summary: summaryLines(base), tookMs: Math.round(performance.now() - started) };
}

/** What a report says of its window's events: figures of it and the window before, top lists, series, sample. */
interface WindowEvents {
  totals: ReportFigures;
  previous: ReportFigures;
  tops: TopLists;
  series: ReportData['series'];
  sample: Record<string, unknown>[];
}

function windowEvents(store: ReadStore, w: ResolvedWindow, masker: Masker, req: ReportRequest): WindowEvents {
  const types = store.reports.types();
  const payments = new PaymentStarts(store);
  return {
    totals: maskedCodes(windowFigures(store, w.from, w.to, types, payments), masker),
    previous: maskedCodes(windowFigures(store, w.from - (w.to - w.from), w.from, types, payments), masker),
    tops: topLists(store, w.from, w.to, masker, req.topN ?? 10),
    series: reportSeries(store, w.from, w.to, types),
    sample: sampleEvents(store, w.from, w.to, masker, req.sampleSize ?? 40),
  };
}

/** The same of the events an explorer filter matches (filteredReport.ts); queue depth stays the broker's. */
function filteredEvents(store: ReadStore, filter: EventFilter, w: ResolvedWindow, masker: Masker, req: ReportRequest): WindowEvents {
  const now = filteredWindow(store, filter, w.from, w.to, masker, req.topN ?? 10, req.sampleSize ?? 40);
  const sample: Record<string, unknown>[] = [];
  for (const seq of now.sampleSeqs) {
    const detail = store.events.get(seq);
    if (detail) sample.push(masker.cloudEvent(detail.json));
  }
  return {
    totals: maskedCodes(now.figures, masker),
    previous: maskedCodes(filteredFigures(store, filter, w.from - (w.to - w.from), w.from), masker),
    tops: now.tops,
    series: { ...now.series, queueDepth: reportSeries(store, w.from, w.to, []).queueDepth },
    sample,
  };
}

