// What the KPI tiles add to their number: a sparkline over the dashboard's live series (the
// per-second throughput by type the view already holds), and a state colour from the alert
// rules that watch the tile's metric. Pure, so tests check the numbers.
import type { AlertView } from '../../../shared/alerts';
import type { AlertMetric, AlertRule } from '../../../shared/alertRules';
import type { TPoint } from '../store/series';

export type KpiSparkKind = 'events' | 'approval' | 'decline' | 'failed' | 'flagged' | 'blocked';

/** At most `buckets` values, oldest first; null where a rate has nothing to divide. */
export function kpiSpark(points: readonly TPoint[], kind: KpiSparkKind, buckets = 40): (number | null)[] {
  if (points.length === 0) return [];
  const start = points[0].t;
  const end = points[points.length - 1].t + points[points.length - 1].span;
  const size = Math.max(1, Math.ceil((end - start) / buckets));
  const sums: Record<string, number>[] = [];
  const seconds: number[] = [];
  for (const p of points) {
    const b = Math.min(buckets - 1, Math.floor((p.t - start) / size));
    const into = (sums[b] ??= {});
    for (const k in p.counts) into[k] = (into[k] ?? 0) + p.counts[k];
    seconds[b] = (seconds[b] ?? 0) + p.span;
  }
  const out: (number | null)[] = [];
  for (let b = 0; b < Math.ceil((end - start) / size); b++) {
    const c = sums[b] ?? {};
    const a = c['payment.authorized'] ?? 0;
    const d = c['payment.declined'] ?? 0;
    const f = c['payment.failed'] ?? 0;
    // Per attempt, failures included, as the tiles' numbers and the alert rules count it: an
    // issuer timing out lowers the approval trend instead of leaving it flat (or blank).
    const attempts = a + d + f;
    const secs = Math.max(1, seconds[b] ?? size);
    if (kind === 'events') out.push(Object.values(c).reduce((s, v) => s + v, 0) / secs);
    else if (kind === 'approval') out.push(attempts ? a / attempts : null);
    else if (kind === 'decline') out.push(attempts ? d / attempts : null);
    else if (kind === 'failed') out.push((f * 60) / secs);
    else if (kind === 'flagged') out.push(((c['risk.flagged'] ?? 0) * 60) / secs);
    else out.push(((c['risk.blocked'] ?? 0) * 60) / secs);
  }
  return out;
}

export interface KpiState {
  tone: 'ok' | 'warn' | 'crit' | null;
  /** The rules that watch this metric, with their state: the tile's tooltip. */
  watchers: string[];
}

/** The tile's colour: critical firing → crit; warning firing or pending → warn; watched and normal → ok; unwatched → none. */
export function kpiState(metrics: readonly AlertMetric[], rules: readonly AlertRule[], alerts: readonly AlertView[]): KpiState {
  const watching = rules.filter((r) => r.enabled !== false && metrics.includes(r.metric));
  if (watching.length === 0) return { tone: null, watchers: [] };
  let tone: KpiState['tone'] = 'ok';
  const watchers: string[] = [];
  for (const r of watching) {
    const active = alerts.filter((a) => a.rule === r.name && (a.state === 'firing' || a.state === 'pending'));
    const firing = active.find((a) => a.state === 'firing');
    if (firing && r.severity === 'critical') tone = 'crit';
    else if (active.length && tone !== 'crit') tone = 'warn';
    watchers.push(`${r.name}: ${firing ? 'firing' : active.length ? 'pending' : 'normal'}`);
  }
  return { tone, watchers };
}

/** A sparkline's SVG points in a 100 x 20 box (gaps split the line). */
export function sparkPaths(values: readonly (number | null)[], fixedMax?: number): string[] {
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (nums.length < 2) return [];
  const max = fixedMax ?? Math.max(...nums, 1e-9);
  const step = 100 / Math.max(1, values.length - 1);
  const paths: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current.length > 1) paths.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${(i * step).toFixed(1)},${(19 - (Math.min(v, max) / max) * 18).toFixed(1)}`);
  });
  if (current.length > 1) paths.push(current.join(' '));
  return paths;
}
