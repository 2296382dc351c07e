// Alert and rule requests of the API contract (spread into apiRequestSchemas in api.ts).
import { z } from 'zod';
import type { AlertRule } from './alertRules';
import type { AlertHistoryRecord, AlertNotification, AlertSilence, AlertView } from './alerts';
import type { RulesFormat, RulesTextIssue } from './rulesText';

const key = z.string().min(1).max(400);
const who = z.string().min(1).max(100).default('operator');
const note = z.string().max(5000);
// The web host's frame limit (shared/wireLimits.ts) is sized so a text this long always fits.
const rulesText = z.string().max(512 * 1024);
const rulesFormat = z.enum(['yaml', 'json']).default('yaml');

export const alertsRequestSchemas = {
  'alerts.ack': z.object({ key, by: who, note: note.default('') }).strict(),
  'alerts.resolveNote': z.object({ key, by: who, note }).strict(),
  'alerts.silence': z
    .object({
      matchers: z.array(z.object({ label: z.string().min(1).max(100), value: z.string().max(400), op: z.enum(['=', '!=', '=~', '!~']).default('=') }).strict()).min(1).max(20),
      durationMs: z.number().int().min(60_000).max(30 * 86_400_000),
      comment: z.string().max(1000).default(''),
      by: who,
    })
    .strict(),
  'alerts.expireSilence': z.object({ id: z.string().min(1).max(100) }).strict(),
  'alerts.silences': z.object({}).strict(),
  'alerts.history': z
    .object({
      rule: z.string().max(200).optional(),
      severity: z.enum(['critical', 'warning', 'info']).optional(),
      firedOnly: z.boolean().optional(),
      since: z.number().int().optional(),
      until: z.number().int().optional(),
      limit: z.number().int().min(1).max(100_000).default(500),
    })
    .strict(),
  // --- The rule editor (issue 4): read, validate, save (and reload) and backtest rules.
  'rules.get': z.object({}).strict(),
  'rules.validate': z.object({ text: rulesText, format: rulesFormat }).strict(),
  'rules.save': z.object({ text: rulesText, format: rulesFormat.optional() }).strict(),
  'rules.backtest': z
    .object({ text: rulesText, format: rulesFormat, from: z.number().int().min(0), to: z.number().int().min(0) })
    .strict()
    .refine((a) => a.from < a.to, { error: 'from must be before to', path: ['to'] }),
} as const;

/** Most a backtest in the console reads: beyond it, the result says it stopped early. */
export const BACKTEST_LIMITS = { maxRangeMs: 7 * 86_400_000, maxEvents: 2_000_000, maxAlertsShown: 1000 } as const;

/** The session's rules, as the editor opens them. */
export interface RulesDocument {
  text: string;
  format: RulesFormat;
  rules: AlertRule[];
  /** 'file': loaded from `path`; 'default': the built-in pack (no file yet). */
  source: 'file' | 'default';
  path: string | null;
  /** Where rules.save writes (the session's rules file, else rules.yaml beside the database). */
  savePath: string;
  /** Whether saving applies at once (a replay keeps the rules it started with). */
  liveReload: boolean;
  /** Why the configured rules file was not loaded (the default pack runs instead), if so. */
  loadError?: string | null;
}

export interface RulesValidationResult {
  ok: boolean;
  issues: RulesTextIssue[];
  /** How many rules (enabled or not) the text holds when it is valid. */
  rules: number;
}

export interface RulesSaveResult {
  ok: boolean;
  issues: RulesTextIssue[];
  /** The file written, null when nothing was written. */
  path: string | null;
  /**
   * Whether the running session now runs on all of the saved file: its rules and its
   * notification routing. False when any part was not applied (see reloadError).
   */
  reloaded: boolean;
  /**
   * Why part of the saved file was not applied (its routing could not be read when the session
   * applied it: the session keeps the routing it had), null when nothing was left out. Set by
   * the console's backend, which applies the routing.
   */
  reloadError?: string | null;
  message: string;
}

export interface RulesBacktestResult {
  ok: boolean;
  issues: RulesTextIssue[];
  /** What would have fired, oldest first (at most BACKTEST_LIMITS.maxAlertsShown). */
  alerts: AlertHistoryRecord[];
  /** Fired alerts in all (alerts may show fewer). */
  firedCount: number;
  notifications: AlertNotification[];
  /** Stored events read. */
  events: number;
  /** The range evaluated, after the limits (epoch ms). */
  from: number;
  to: number;
  /** Set when a limit cut the range or the events short: says which and where it stopped. */
  truncated: string | null;
  evaluations: number;
  elapsedMs: number;
}


export interface AlertsResults {
  'alerts.ack': { ok: boolean };
  'alerts.resolveNote': { ok: boolean };
  'alerts.silence': AlertSilence;
  'alerts.expireSilence': { ok: boolean };
  'alerts.silences': AlertSilence[];
  'alerts.history': AlertHistoryRecord[];
  'rules.get': RulesDocument;
  'rules.validate': RulesValidationResult;
  'rules.save': RulesSaveResult;
  'rules.backtest': RulesBacktestResult;
}

export type { AlertView };
