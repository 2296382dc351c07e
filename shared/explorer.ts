// The explorer, payment timeline, quarantine browser and incident report requests (issue 6).
// The lead spreads `explorerRequestSchemas` into apiRequestSchemas and `ExplorerResults`
// into ApiResults; the engine worker answers them (electron/core/explorer, electron/core/report).
// Times are epoch milliseconds; a window is half-open: from <= time < to.
import { z } from 'zod';
import { CURRENCY_CODE } from './currencies';
import type { RedriveAuditEntry } from './deadLetters';
import type { PaymentDimensions } from './events/eventTypes';
import { THREE_DS_OUTCOMES } from './events/schemas';
import { BIN_DIGITS, NONE_VALUE, OTHER_VALUE, type SegmentDimension } from './segments';
import type { EffectKind, TriageMetric } from './triage';

const text = (max: number) => z.string().trim().min(1).max(max);
/**
 * A value matched exactly as stored (a merchant, issuer, acquirer, method or decline code): not
 * trimmed, since EVENTS.md allows white space in them and " m_1" is another merchant than "m_1"
 * (a link from triage to " m_1" showed m_1's events). The renderer trims what an operator types.
 */
const storedText = (max: number) => z.string().min(1).max(max);
/**
 * An id searched for as stored (payment, merchant or event id): EVENTS.md gives ids no length,
 * so the bound is only against abuse, far above any real id, and every stored id can be found.
 */
const storedId = storedText(4096);
/**
 * A country or scheme: no event carries one with white space (EVENTS.md's forms), so such a value
 * is refused rather than trimmed into another (the other text filters are exact too). Case is
 * still folded, as events carry it ("de" finds DE, "Visa" finds visa).
 */
const noSpaceText = (max: number, message: string) => z.string().min(1).max(max).regex(/^\S+$/u, message);
const epochMs = z.number().int().min(0).max(8.64e15);

export const RISK_DECISIONS = ['approve', 'review', 'block'] as const;
export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the explorer filters on; every field optional (an empty filter matches everything). */
export const eventFilterSchema = z
  .object({
    from: epochMs.optional(),
    to: epochMs.optional(),
    /** Event types, each matched as stored (EVENTS.md: any non-empty string; unknown types are kept). */
    types: z.array(storedText(100)).max(20).optional(),
    merchantId: storedId.optional(),
    /** ISO 3166 alpha-2, as events carry it (upper case: "de" finds DE). */
    country: noSpaceText(8, 'a country is an ISO 3166 alpha-2 code (DE), without spaces').toUpperCase().optional(),
    declineCode: storedText(64).optional(),
    decision: z.enum(RISK_DECISIONS).optional(),
    /**
     * Only events in this currency (ISO 4217, upper case). Required with an amount bound: an
     * amount means nothing without its currency (1,000 JPY is not 1,000 EUR).
     */
    currency: z.string().trim().toUpperCase().regex(CURRENCY_CODE, 'a currency is three letters (ISO 4217): EUR, JPY, KWD').optional(),
    /** Inclusive bounds in minor units of `currency` (ISO 4217: JPY 1 = 1 yen, EUR 1 = 1 cent, KWD 1 = 1 fils). */
    amountMin: z.number().int().min(0).optional(),
    amountMax: z.number().int().min(0).optional(),
    /** A payment id or an event id (exact). */
    search: storedId.optional(),
    // The payment dimensions of EVENTS.md, exact, as triage names them (shared/segments.ts).
    issuer: storedText(200).optional(),
    /** A card number prefix: "529412" matches the 6-digit BIN and every 8-digit BIN in its range. */
    cardBin: z.string().trim().regex(/^\d{4,11}$/, 'a BIN is 4 to 11 digits (a card number prefix)').optional(),
    scheme: noSpaceText(64, 'a scheme is a name like visa, without spaces').toLowerCase().optional(),
    acquirer: storedText(200).optional(),
    mcc: z.string().trim().regex(/^\d{4}$/, 'an MCC is 4 digits (ISO 18245)').optional(),
    threeDS: z.enum(THREE_DS_OUTCOMES).optional(),
    method: storedText(64).optional(),
    /** Inclusive bounds on `attempt` (which try of the payment): 2..2 is the first retry, 3.. the later ones. */
    attemptMin: z.number().int().min(1).optional(),
    attemptMax: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const key of ['amountMin', 'amountMax'] as const) {
      if (f[key] !== undefined && f.currency === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} needs "currency": say which currency the amount is in (minor units of it)` });
      }
    }
    if (f.amountMin !== undefined && f.amountMax !== undefined && f.amountMax < f.amountMin) {
      ctx.addIssue({ code: 'custom', path: ['amountMax'], message: 'amountMax is below amountMin' });
    }
    if (f.attemptMin !== undefined && f.attemptMax !== undefined && f.attemptMax < f.attemptMin) {
      ctx.addIssue({ code: 'custom', path: ['attemptMax'], message: 'attemptMax is below attemptMin' });
    }
    // A reversed window is a mistake to say, not a search that finds nothing.
    if (f.from !== undefined && f.to !== undefined && f.to < f.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
    }
  });
export type EventFilter = z.input<typeof eventFilterSchema>;

/**
 * The explorer filter that selects a triage segment's events (a dimension's value as the segment
 * rollups name it), or null for the folded tail and for "(none)", which no filter selects.
 * Attempt segments are "1", "2" and "3+".
 */
export function filterOfSegment(dimension: SegmentDimension, value: string): EventFilter | null {
  if (value === OTHER_VALUE || value === NONE_VALUE) return null;
  switch (dimension) {
    case 'attempt': {
      const n = Number.parseInt(value, 10);
      if (!Number.isInteger(n) || n < 1) return null;
      return value.endsWith('+') ? { attemptMin: n } : { attemptMin: n, attemptMax: n };
    }
    case 'cardBin':
      return { cardBin: value.slice(0, BIN_DIGITS) };
    case 'threeDS': {
      const outcome = THREE_DS_OUTCOMES.find((o) => o === value);
      return outcome ? { threeDS: outcome } : null;
    }
    case 'issuer':
    case 'scheme':
    case 'acquirer':
    case 'merchantId':
    case 'mcc':
    case 'country':
    case 'method':
    case 'currency':
      // These filter fields are named as the dimension and match its value as it is.
      return { [dimension]: value } satisfies Partial<Record<typeof dimension, string>>;
  }
}

/** Keyset cursor: the (time_ms, seq) of the last row of the previous page. */
export const eventCursorSchema = z.object({ timeMs: z.number().int(), seq: z.number().int() }).strict();
export type EventCursor = z.infer<typeof eventCursorSchema>;

export const quarantineCursorSchema = z.object({ arrivalMs: z.number().int(), seq: z.number().int() }).strict();
export type QuarantineCursor = z.infer<typeof quarantineCursorSchema>;

const maskOptions = {
  /** Masking is on unless explicitly turned off. */
  mask: z.boolean().default(true),
  /** Extra fields to mask on top of the defaults (cardBin, customer*, email, phone, iban). */
  maskFields: z.array(text(64)).max(50).default([]),
};

const reportWindow = {
  from: epochMs.optional(),
  to: epochMs.optional(),
  /** An alert instance key (AlertView.key): the window runs from a margin before it fired to a margin after it resolved. */
  alertKey: text(400).optional(),
  marginMinutes: z.number().min(0).max(24 * 60).default(15),
  title: z.string().max(200).optional(),
  /** Operator notes included in the report. */
  notes: z.string().max(20_000).optional(),
};

export const explorerRequestSchemas = {
  'events.query': z
    .object({
      filter: eventFilterSchema.default({}),
      order: z.enum(['desc', 'asc']).default('desc'),
      limit: z.number().int().min(1).max(500).default(100),
      cursor: eventCursorSchema.nullable().default(null),
    })
    .strict(),
  'events.get': z.object({ seq: z.number().int().min(1) }).strict(),
  'events.timeline': z.object({ paymentId: storedId }).strict(),
  'quarantine.query': z
    .object({
      from: epochMs.optional(),
      to: epochMs.optional(),
      /** Substring of the reason, case-insensitive. */
      reason: text(200).optional(),
      order: z.enum(['desc', 'asc']).default('desc'),
      limit: z.number().int().min(1).max(500).default(100),
      cursor: quarantineCursorSchema.nullable().default(null),
    })
    .strict(),
  'quarantine.get': z.object({ seq: z.number().int().min(1) }).strict(),
  'report.build': z.object({ ...reportWindow, ...maskOptions }).strict(),
  /** Starts an export job; poll report.progress, stop with report.cancel. */
  'report.export': z
    .object({
      ...reportWindow,
      ...maskOptions,
      format: z.enum(REPORT_FORMATS),
      /**
       * Only the events of the window that match this explorer filter (as events.query lists
       * them; its own from/to give way to the export's window): a CSV's rows, and the report's
       * events, figures, top lists, charts and sample, as `payops report` with filter flags.
       * Alerts, silences, redrives and the explanation still cover the window.
       */
      filter: eventFilterSchema.optional(),
    })
    .strict(),
  'report.progress': z.object({ jobId: text(64) }).strict(),
  'report.cancel': z.object({ jobId: text(64) }).strict(),
} as const;

export type ExplorerRequestName = keyof typeof explorerRequestSchemas;

/**
 * One stored event as the explorer lists it (flat columns; the whole CloudEvent via events.get);
 * the payment dimensions are null when the event does not carry them.
 */
export interface EventRow extends PaymentDimensions {
  seq: number;
  timeMs: number;
  arrivalMs: number;
  source: string;
  id: string;
  type: string;
  category: string;
  subject: string | null;
  paymentId: string | null;
  merchantId: string | null;
  amount: number | null;
  currency: string | null;
  country: string | null;
  method: string | null;
  cardBin: string | null;
  latencyMs: number | null;
  declineCode: string | null;
  score: number | null;
  decision: string | null;
  routingKey: string | null;
}

export interface EventPage {
  rows: EventRow[];
  /** Pass back as `cursor` for the next page; null when there is nothing more. */
  nextCursor: EventCursor | null;
  /**
   * True when a filter no index serves stopped after its scan budget with fewer than
   * `limit` rows: more matches may follow, ask again with nextCursor.
   */
  partial: boolean;
  tookMs: number;
}

export interface EventDetail extends EventRow {
  /** The whole CloudEvent as stored (structured JSON text). */
  json: string;
}

export interface TimelineStep extends EventRow {
  /** ms since the payment's first event, and since the previous step (null for the first). */
  sinceStartMs: number;
  sincePreviousMs: number | null;
}

export interface PaymentTimeline {
  paymentId: string;
  steps: TimelineStep[];
  /** Total time from first to last event. */
  durationMs: number;
  truncated: boolean;
}

export interface QuarantineBody {
  encoding: 'utf8' | 'hex';
  text: string;
  /** Bytes of the whole body, and whether `text` shows only the first part. */
  size: number;
  truncated: boolean;
}

export interface QuarantineRow {
  seq: number;
  arrivalMs: number;
  reason: string;
  routingKey: string | null;
  contentType: string | null;
  origin: string | null;
  /** Headers as stored (a JSON object), null when none. */
  headers: Record<string, unknown> | null;
  body: QuarantineBody;
}

export interface QuarantinePage {
  rows: QuarantineRow[];
  nextCursor: QuarantineCursor | null;
  tookMs: number;
}

export interface CountRow {
  key: string;
  events: number;
}

export interface ReportFigures {
  events: number;
  byType: Record<string, number>;
  /**
   * Sum of payment.authorized amounts per currency, each in minor units of its own currency
   * (ISO 4217: JPY has none, KWD three); '' for events without one. Never summed across currencies.
   */
  authorizedAmountByCurrency: Record<string, number>;
  authorized: number;
  declined: number;
  failed: number;
  /** authorized / (authorized + declined + failed), as explain and the alert rules count it; null without attempts. Per attempt. */
  approvalRate: number | null;
  /**
   * Per payment: payments whose first attempt falls in the window's whole minutes (a
   * partial minute at either edge is left out), retries of a paymentId counted once; approved
   * if any attempt was.
   */
  payments: number;
  approvedPayments: number;
  /** approvedPayments / payments; null without payments. */
  paymentApprovalRate: number | null;
  /** declined / (authorized + declined + failed); null without attempts. */
  declineRate: number | null;
  /** payment.declined events per decline code ('unknown' when none). */
  declinesByCode: Record<string, number>;
  /** Declines whose code is soft (may be approved later) or hard (will not be, as it is): shared/declineCodes.ts. */
  softDeclines: number;
  hardDeclines: number;
  /**
   * The risk engine's decisions, one per risk.scored event (approve / review / block).
   * risk.flagged and risk.blocked repeat a scoring's decision and are counted in byType only.
   */
  riskDecisions: Record<string, number>;
  eventsPerSecond: number;
}

export interface ReportSeriesPoint {
  /** Start of the bucket (epoch ms). */
  t: number;
  values: Record<string, number>;
}

export interface ReportAlert {
  key: string;
  rule: string;
  severity: string;
  group: string;
  summary: string;
  state: string;
  /** The rule's metric, the unit of value and peakValue (absent from instances stored before payops kept it). */
  metric?: string;
  /**
   * The rule's runbook, a login or token in it written `***` (as a webhook's `runbook_url`), and
   * its description (its condition in words, then the rule's own): absent from instances stored
   * before payops kept them (migration 380) and for a rule without a runbook.
   */
  runbookUrl?: string;
  description?: string;
  value: number | null;
  peakValue: number | null;
  activeSince: string;
  firedAt: string | null;
  resolvedAt: string | null;
  acknowledged: { by: string; note: string; at: string } | null;
  resolveNote: { by: string; note: string; at: string } | null;
  transitions: { state: string; at: string }[];
}

export interface ReportSilence {
  id: string;
  /** "alertname=decline-rate-spike, merchant=m_1" */
  matchers: string;
  comment: string;
  createdBy: string;
  createdAt: string;
  endsAt: string;
  /** When an operator expired it early, else null. */
  expiredAt: string | null;
}

export interface ReportTimelineEntry {
  at: string;
  atMs: number;
  kind: 'pending' | 'firing' | 'resolved' | 'state' | 'acknowledged' | 'note' | 'silenced' | 'silence-ended';
  /** The alert's rule and severity, or null for a silence. */
  rule: string | null;
  severity: string | null;
  group: string;
  /** Who did it (an operator), or null for the evaluator. */
  by: string | null;
  text: string;
}

/** The report as data: what `payops report --json` writes, and what the HTML/PDF show. */
export interface ReportData {
  title: string;
  generatedAt: string;
  window: { from: string; to: string; fromMs: number; toMs: number; durationMs: number };
  source: { alertKey: string | null; marginMinutes: number | null };
  masked: boolean;
  maskFields: string[];
  summary: string[];
  totals: ReportFigures;
  previous: { window: { from: string; to: string }; totals: ReportFigures };
  /** Changes against the previous window (null where the previous figure was 0 or null). */
  change: { events: number | null; approvalRate: number | null; declineRate: number | null };
  /**
   * Messages refused (quarantined) that arrived in the window and are held: by arrival time (a
   * refused message has no event time to trust), whatever the filter; none of them is in `totals`.
   * Absent from reports of older versions.
   */
  quarantined?: number;
  /** Alerts firing at some point in the window, oldest first (at most 500; alertCounts has them all). */
  alerts: ReportAlert[];
  /** Every alert firing at some point in the window, counted (not limited like the list). */
  alertCounts: { total: number; bySeverity: Record<string, number>; byRule: Record<string, number> };
  /** Silences active at some point in the window. */
  silences: ReportSilence[];
  /** What happened to the alerts in the window, in time order: states, acknowledgements, notes, silences. */
  timeline: ReportTimelineEntry[];
  /** Dead-letter redrive steps in the window, oldest first (the audit log, issue 15). */
  redrives?: RedriveAuditEntry[];
  /**
   * Triage's explanation (issue 13) of the alert's active window (else the report's window)
   * against the windows before it; null when the database has no segment rollups.
   */
  explanation?: ReportExplanation | null;
  topMerchants: { merchantId: string; events: number; declines: number }[];
  /**
   * How many merchants have as many events as the first of topMerchants, it included (1: it
   * stands alone; may be more than topMerchants lists); 0 without merchants. Absent in reports
   * written before it was added.
   */
  topMerchantsTied?: number;
  topCountries: { country: string; events: number; declines: number }[];
  /** With the code's meaning and kind (shared/declineCodes.ts). */
  topDeclineCodes: { declineCode: string; events: number; meaning: string; kind: 'soft' | 'hard' }[];
  topCardBins: { cardBin: string; events: number; declines: number }[];
  series: {
    bucketMs: number;
    throughput: ReportSeriesPoint[];
    declineRate: ReportSeriesPoint[];
    riskDecisions: ReportSeriesPoint[];
    queueDepth: ReportSeriesPoint[];
  };
  notes: string | null;
  sampleEvents: Record<string, unknown>[];
  /**
   * Only with a filter (`payops report --merchant-id ...`): the explorer conditions the events
   * were chosen by, values masked as the report's. Events, figures, top lists, series and the
   * sample cover the matching events; alerts, silences, redrives and the explanation the window.
   */
  filter?: ReportFilter;
  tookMs: number;
}

/** An explorer filter's conditions besides its window. */
export type ReportFilter = Omit<EventFilter, 'from' | 'to'>;

export interface ReportContributor {
  dimension: SegmentDimension;
  value: string;
  effect: EffectKind;
  /** Points of the metric this segment moved (signed, 0..1 scale), and its part of the change. */
  contribution: number;
  shareOfChange: number | null;
  window: { attempts: number; value: number | null };
  baseline: { attempts: number; value: number | null };
}

export interface ReportExplanation {
  metric: TriageMetric;
  significant: boolean;
  headline: string;
  window: { from: string; to: string; value: number | null; attempts: number };
  baseline: { from: string; to: string; value: number | null; attempts: number };
  /** The significant contributors, largest first (at most REPORT_CONTRIBUTORS). */
  contributors: ReportContributor[];
}

export interface ReportJob {
  jobId: string;
  format: ReportFormat;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Rows written so far and rows expected (CSV), or steps for other formats. */
  done: number;
  total: number;
  bytes: number;
  /** The finished file (only when state is 'done'). */
  file: string | null;
  error: string | null;
}

export interface ExplorerResults {
  'events.query': EventPage;
  'events.get': { event: EventDetail | null };
  'events.timeline': PaymentTimeline;
  'quarantine.query': QuarantinePage;
  'quarantine.get': { row: QuarantineRow | null };
  'report.build': ReportData;
  'report.export': ReportJob;
  'report.progress': ReportJob;
  'report.cancel': ReportJob;
}
