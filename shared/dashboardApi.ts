// The dashboard's charts over any time range, read from the per-minute rollups only (never
// raw events), so a 7-day range costs what a 15-minute one does. Times are epoch ms; a
// window is half-open (from <= time < to) and whole minutes. Spread into api.ts.
import { z } from 'zod';

/**
 * A time a Date holds (8.64e15 ms either way: -271821-04-20 to +275760-09-13), before 1970
 * included: events of the years 0000-9999 are stored (a producer with a zeroed clock stamps
 * 1969-12-31, a replay of such a capture shows them), and their minute rollups are read.
 */
const epochMs = z
  .number({ error: 'must be a time (epoch ms)' })
  .int()
  .min(-8.64e15, { error: 'must be a time after the year -271821' })
  .max(8.64e15, { error: 'must be a time before the year 275760' });
/**
 * Longest range one request covers: what the range picker offers at most, and a custom range.
 * 31 days plus the hour a DST change can add, so a whole calendar month in local time fits
 * (Europe/Berlin, 1 Oct 00:00 to 1 Nov 00:00, is 745 hours).
 */
export const DASHBOARD_MAX_RANGE_MS = (31 * 24 + 1) * 3600_000;
/** The bound in words, for the messages that refuse a longer range. */
export const DASHBOARD_MAX_RANGE_TEXT = 'at most 31 days, plus the hour a DST change can add (745 hours)';
/** Points per drawn line at most; denser series are downsampled (LTTB) to this. */
export const DASHBOARD_MAX_POINTS = 300;

/** How far back a compare window is, in calendar days of the dashboard's time zone (same local clock time). */
export const COMPARE_DAYS = { none: 0, yesterday: 1, lastWeek: 7 } as const;
export type CompareWith = keyof typeof COMPARE_DAYS;

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const dashboardRequestSchemas = {
  'dashboard.series': z
    .object({
      fromMs: epochMs,
      toMs: epochMs,
      compare: z.enum(['none', 'yesterday', 'lastWeek']).default('none'),
      /** IANA zone whose calendar days a compare window goes back by (default: the host's). */
      timeZone: z.string().max(64).refine(isKnownTimeZone, { message: 'not a known IANA time zone' }).optional(),
    })
    .strict()
    .refine((a) => a.toMs > a.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] })
    .refine((a) => a.toMs - a.fromMs <= DASHBOARD_MAX_RANGE_MS, { message: `range must be ${DASHBOARD_MAX_RANGE_TEXT}`, path: ['fromMs'] }),
} as const;

/** [time (epoch ms, the step's start), value]. */
export type SeriesPoint = [number, number];

export interface CurrencyVolumeSeries {
  currency: string;
  /** Major units per step (the currency's ISO 4217 decimals). */
  authorized: SeriesPoint[];
  declined: SeriesPoint[];
  /** Minor units over the whole window (exact). */
  authorizedMinor: number;
  declinedMinor: number;
  authorizedCount: number;
  declinedCount: number;
}

/** The time series of one window (the compare window has the same shape). */
export interface DashboardWindow {
  fromMs: number;
  toMs: number;
  /** Authorized / attempts per step, attempts being authorized + declined + failed (as the KPI tiles and alert rules count them). */
  approvalRate: SeriesPoint[];
  /**
   * Per payment (retries of one paymentId counted once, as Stripe's deduplicated rate): of the
   * payments whose first attempt falls in the step, the share with an approved attempt.
   */
  paymentApprovalRate: SeriesPoint[];
  /** Declined / attempts per step (the same attempts). */
  declineRate: SeriesPoint[];
  /** Authorization latency percentiles per step (ms), from per-minute histograms of the attempts' latencyMs. */
  latencyP50: SeriesPoint[];
  latencyP95: SeriesPoint[];
  latencyP99: SeriesPoint[];
  /** Attempts (authorized + declined + failed) per step: where a rate is only a few events. */
  attempts: SeriesPoint[];
  volume: CurrencyVolumeSeries[];
  /** Risk decisions per step by decision (approve, review, decline, ...). */
  decisions: { decision: string; points: SeriesPoint[]; total: number }[];
  /** Declines per code over the window, most first (at most 10; a decline without a code is 'unknown'). */
  declineCodes: { code: string; count: number }[];
  /**
   * The codes past those 10 and their declines (0 and 0 when none): with `declineCodes`, every
   * decline of `totals.declined`. Always set by the dashboard service (optional for older callers' fixtures).
   */
  declineCodesLeftOut?: { codes: number; count: number };
  /** payments: started in the window (first attempt: authorized, declined or failed); approvedPayments: of those, approved. */
  totals: { authorized: number; declined: number; failed: number; payments: number; approvedPayments: number; latencyP50: number | null; latencyP95: number | null; latencyP99: number | null };
}

export interface DashboardSeries extends DashboardWindow {
  /** Width of one step before downsampling (whole minutes). */
  stepMs: number;
  /** Always 'rollup_minute': the charts never read raw events. */
  source: 'rollup_minute';
  /**
   * The same window whole calendar days back at the same local clock times (in the request's
   * time zone), its times moved forward onto this one; `offsetMs`: how far back its start is
   * (23 h for "yesterday" the day after a spring-forward change).
   */
  compare: (DashboardWindow & { offsetMs: number; with: CompareWith }) | null;
}

export interface DashboardResults {
  'dashboard.series': DashboardSeries;
}
