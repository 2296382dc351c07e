// Where alerts go, as operators write it next to their rules (the same YAML/JSON file):
// contact points, an ordered list of notification policies, mute timings, inhibition rules
// and burn-rate (SLO) rules. Alertmanager's routing semantics with Grafana's names.
// Validation returns issues naming the section, the entry and the field; it never throws.
import { z } from 'zod';
import { MAX_DURATION_MS, SEGMENT_GROUP_BY, boundedDuration, parseDuration, parseThreshold, ruleLabels } from './alertRules';
import type { SilenceMatcher } from './alerts';
import { silenceMatchersProblem } from './labelMatchers';
import { labelNameProblem, parseMatcherText } from './matcherText';

export const ROUTING_KEYS = ['contactPoints', 'policies', 'defaultPolicy', 'muteTimings', 'inhibitRules', 'burnRates'] as const;

const name = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(100)
  .regex(/^[A-Za-z0-9][\w.-]*$/, { error: 'letters, digits, "." "_" "-" only, starting with a letter or digit' });
/** A contact point's name, as the rules file and the API take it. */
export const contactPointNameSchema = name;
const DURATION_TEXT = 'must be a duration like 30s, 5m, 1h30m (or a number of seconds)';
const duration = z.union([z.string(), z.number()], { error: DURATION_TEXT }).refine((v) => parseDuration(v) !== null, { error: DURATION_TEXT });
const yearDuration = boundedDuration(MAX_DURATION_MS, '365d (1 year)');
// The router counts in whole milliseconds: 0.0001 (seconds) rounds to 0, which for these two
// means "send every change at once" / "never repeat". Refused, as Alertmanager refuses a zero
// group_interval and repeat_interval; a groupWait of 0 (first message at once) is allowed there too.
const groupInterval = boundedDuration(MAX_DURATION_MS, '365d (1 year)', 1, '1ms (0.001 s): the router would send every change at once');
const repeatInterval = boundedDuration(MAX_DURATION_MS, '365d (1 year)', 1, '1ms (0.001 s): the router would never repeat');
const groupWait = yearDuration.refine((v) => !(typeof v === 'number' && v > 0 && parseDuration(v) === 0), { error: 'must be 0 or at least 1ms (0.001 s)' });
// AbortSignal.timeout refuses a delay past 2^32-1 ms, and 0 would abort every send at once.
const timeoutDuration = boundedDuration(600_000, '10m', 100, '100ms');
const PERCENT_TEXT = 'must be a number or a percentage such as "97%"';
const percent = z.union([z.number(), z.string()], { error: PERCENT_TEXT }).refine((v) => parseThreshold(v) !== null, { error: PERCENT_TEXT });
// Alertmanager reads its YAML with go-yaml's YAML 1.1 booleans: `continue: yes` is true there.
// Only these fields take the words (a label value such as `country: NO` stays a string), and
// only unquoted: the YAML reader makes them booleans (yamlBooleanWords in rulesText.ts), so a
// quoted "yes" reaches this schema as the string it is, and is refused as Alertmanager refuses it.
export const YAML_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'];
export const YAML_FALSE = ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'];
/** The fields that take YAML 1.1's boolean words, by the list or object they are in. */
export const YAML_BOOLEAN_FIELDS = { contactPoints: 'sendResolved', policies: 'continue', defaultPolicy: 'continue' } as const;
const BOOLEAN_TEXT = 'must be true or false (yes/no and on/off are read as in Alertmanager)';
const yamlBoolean = z
  .union([z.boolean(), z.string()], { error: BOOLEAN_TEXT })
  .superRefine((v, ctx) => {
    if (typeof v !== 'string') return;
    const word = YAML_TRUE.includes(v) || YAML_FALSE.includes(v);
    ctx.addIssue({ code: 'custom', message: word ? `must be true or false, not the string ${JSON.stringify(v)} (quoted, YAML reads a string, and Alertmanager refuses it): write it without quotes` : BOOLEAN_TEXT });
  })
  .transform((v) => v === true);
const matcherText = z.string({ error: 'must be a matcher such as severity=critical or merchant=~"m_1.*"' });

const contactPointInput = z.strictObject({
  name,
  type: z.enum(['webhook', 'slack', 'desktop'], { error: 'must be webhook, slack or desktop' }),
  /** A URL without any credential (no token in the path or query, no user:password). */
  url: z.string().max(2048).optional(),
  /** The key of a URL kept in the secret store (webhook URLs carry tokens). */
  urlSecret: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: 'must be a secret name: letters, digits, _ . -' }).optional(),
  timeout: timeoutDuration.optional(),
  maxAttempts: z.number().int().min(1).max(10, { error: 'must be 1..10' }).optional(),
  sendResolved: yamlBoolean.optional(),
  /** Alertmanager's max_alerts: at most this many alerts in one message (0: all). */
  maxAlerts: z.number().int().min(0).max(100_000, { error: 'must be 0..100000' }).optional(),
});

const policyInput = z.strictObject({
  contactPoint: name,
  matchers: z.array(matcherText).optional(),
  groupBy: z.array(z.string().min(1)).optional(),
  groupWait: groupWait.optional(),
  groupInterval: groupInterval.optional(),
  repeatInterval: repeatInterval.optional(),
  continue: yamlBoolean.optional(),
  muteTimings: z.array(name).optional(),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be HH:MM (UTC, or the interval location)' });
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const weekdayRange = z.string().refine((v) => parseWeekdayRange(v) !== null, { error: 'must be a weekday or a range such as monday:friday' });

const muteTimingInput = z.strictObject({
  name,
  timeIntervals: z
    .array(
      z.strictObject({
        times: z.array(z.strictObject({ start: clock, end: clock })).optional(),
        weekdays: z.array(weekdayRange).optional(),
        /** Alertmanager's `location`: the IANA time zone times and weekdays are read in (default UTC). */
        location: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin (or UTC)' }).optional(),
      }),
    )
    .min(1, { error: 'must list at least one interval' }),
});

const inhibitInput = z.strictObject({
  sourceMatchers: z.array(matcherText).min(1, { error: 'must list at least one matcher' }),
  targetMatchers: z.array(matcherText).min(1, { error: 'must list at least one matcher' }),
  equal: z.array(z.string().min(1)).optional(),
});

const burnWindowInput = z.strictObject({
  severity: z.enum(['critical', 'warning', 'info']),
  factor: z.number().positive(),
  long: duration,
  short: duration,
});

/** What a burn-rate rule may judge per segment: any event dimension a rule groups by (issue 14: "such as issuer or acquirer"). */
export const BURN_RATE_GROUP_BY = ['merchant', 'country', ...SEGMENT_GROUP_BY] as const;
export type BurnRateGroupBy = (typeof BURN_RATE_GROUP_BY)[number];

const burnRateInput = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  /** approval: declined and failed attempts spend the budget; success: only failed ones. */
  sli: z.enum(['approval', 'success'], { error: 'must be approval or success' }).optional(),
  objective: percent,
  groupBy: z.enum(BURN_RATE_GROUP_BY, { error: `must be one of ${BURN_RATE_GROUP_BY.join(', ')}` }).optional(),
  minVolume: z.number().int().min(0).optional(),
  period: yearDuration.optional(),
  windows: z.array(burnWindowInput).min(1).optional(),
  labels: ruleLabels.optional(),
});

export type ContactPointType = 'webhook' | 'slack' | 'desktop';

export interface ContactPoint {
  name: string;
  type: ContactPointType;
  /** Either a plain URL (no credential in it) or a secret-store key; null for desktop. */
  url: string | null;
  urlSecret: string | null;
  timeoutMs: number;
  maxAttempts: number;
  sendResolved: boolean;
  /** At most this many alerts in one message, the rest counted (0: all). */
  maxAlerts: number;
}

export interface NotificationPolicy {
  contactPoint: string;
  matchers: SilenceMatcher[];
  /** Labels that split alerts into groups; ['...'] groups by every label (one alert a group). */
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  continue: boolean;
  muteTimings: string[];
}

export interface MuteInterval {
  /** Minutes after midnight in `location`, [start, end). Empty: all day. */
  times: { startMin: number; endMin: number }[];
  /** Days of the week (0 = Sunday) in `location` it applies on. Empty: every day. */
  weekdays: number[];
  /** The IANA time zone the interval is read in ('UTC' unless the file says). */
  location: string;
}

export interface MuteTiming {
  name: string;
  intervals: MuteInterval[];
}

export interface InhibitRule {
  sourceMatchers: SilenceMatcher[];
  targetMatchers: SilenceMatcher[];
  equal: string[];
}

export interface BurnWindow {
  severity: 'critical' | 'warning' | 'info';
  factor: number;
  longMs: number;
  shortMs: number;
}

export interface BurnRateRule {
  name: string;
  description: string;
  sli: 'approval' | 'success';
  /** The good fraction promised, 0..1 (0.97 = 97 % of attempts approved). */
  objective: number;
  groupBy: BurnRateGroupBy | null;
  minVolume: number;
  periodMs: number;
  windows: BurnWindow[];
  labels: Record<string, string>;
}

export interface RoutingConfig {
  contactPoints: ContactPoint[];
  policies: NotificationPolicy[];
  /** Alertmanager's root route: where alerts no policy matches go. */
  defaultPolicy: NotificationPolicy;
  muteTimings: MuteTiming[];
  inhibitRules: InhibitRule[];
  burnRates: BurnRateRule[];
}

export interface RoutingIssue {
  /** "contactPoints[1].url" */
  field: string;
  message: string;
  text: string;
}

export type RoutingValidation = { ok: true; config: RoutingConfig } | { ok: false; issues: RoutingIssue[] };

/** The SRE workbook's pairs: 2 % of a 30-day budget in 1 h pages, 5 % in 6 h tickets. */
export const DEFAULT_BURN_WINDOWS: BurnWindow[] = [
  { severity: 'critical', factor: 14.4, longMs: 3600_000, shortMs: 300_000 },
  { severity: 'warning', factor: 6, longMs: 6 * 3600_000, shortMs: 1800_000 },
];
export const MAX_BURN_WINDOW_MS = 24 * 3600_000;

const DESKTOP: ContactPoint = { name: 'desktop', type: 'desktop', url: null, urlSecret: null, timeoutMs: 10_000, maxAttempts: 1, sendResolved: true, maxAlerts: 0 };
const DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3600_000 };

/** With no routing in the file: every alert to the desktop, one alert a group, sent at once (today's behaviour). */
export const DEFAULT_ROUTING: RoutingConfig = {
  contactPoints: [DESKTOP],
  policies: [],
  defaultPolicy: { contactPoint: 'desktop', matchers: [], groupBy: ['...'], groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 0, continue: false, muteTimings: [] },
  muteTimings: [],
  inhibitRules: [],
  burnRates: [],
};

/**
 * Parses one matcher (`label=value`, `label!=value`, `label=~regex`, `label!~regex`, the value
 * optionally in double quotes), as Alertmanager and Grafana write them. Null when it is not
 * exactly one: see parseMatcherText for the forms a config's `matchers:` entry takes.
 */
export function parseMatcher(text: string): SilenceMatcher | null {
  const r = parseMatcherText(text);
  return r.ok && r.matchers.length === 1 ? r.matchers[0] : null;
}

/** Whether the runtime knows this IANA time zone name (Europe/Berlin, America/New_York, UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

/** "monday:friday" -> [1..5]; "sunday" -> [0]. */
export function parseWeekdayRange(text: string): number[] | null {
  const [from, to = from] = text.toLowerCase().split(':');
  const a = WEEKDAYS.indexOf(from as (typeof WEEKDAYS)[number]);
  const b = WEEKDAYS.indexOf(to as (typeof WEEKDAYS)[number]);
  if (a < 0 || b < 0) return null;
  const out: number[] = [];
  for (let d = a; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === b) break;
  }
  return out;
}

/**
 * Chat webhooks whose path is the token, however it looks: Slack's incoming webhooks, Discord's
 * (/api/webhooks/ID/TOKEN, on discord.com, its ptb. and canary. hosts and discordapp.com) and
 * Microsoft Teams' (*.webhook.office.com, and outlook.office(365).com/webhook before it). Google
 * Chat's and Teams workflows' tokens are in the query (key=, token=, sig=), which counts already.
 */
function isChatWebhook(u: URL): boolean {
  const host = u.hostname.replace(/\.$/, '');
  if (host === 'hooks.slack.com' || host.endsWith('.webhook.office.com')) return true;
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host)) return /^\/api\/(?:v\d+\/)?webhooks\//i.test(u.pathname);
  if (host === 'outlook.office.com' || host === 'outlook.office365.com') return /^\/webhook/i.test(u.pathname);
  return false;
}

/**
 * True when a URL carries a credential: user:password, a query string, a chat webhook's path
 * (isChatWebhook), or a path segment that looks like a token (long and mixed letters and
 * digits, as incident tools issue). Such a URL belongs in the secret store, never in a file in
 * version control.
 */
export function urlHoldsCredential(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password || u.search) return true;
  // A chat webhook's whole path is its token, however short it looks.
  if (isChatWebhook(u)) return true;
  return u.pathname.split('/').some((seg) => seg.length >= 16 && /\d/.test(seg) && /[A-Za-z]/.test(seg));
}

/** Whether `text` (spaces around it aside) is an http: or https: URL. */
export function isHttpUrlText(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text.trim()).protocol);
  } catch {
    return false;
  }
}

export const SECRET_ENV_PREFIX = 'PAYOPS_SECRET_';

/** PAYOPS_SECRET_ONCALL_HOOK for the secret "oncall-hook": where headless runs read a URL secret. */
export function secretEnvName(secret: string): string {
  return SECRET_ENV_PREFIX + secret.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Picks the routing sections out of a parsed rules file (an object; a bare list has none). */
export function validateRouting(file: unknown): RoutingValidation {
  if (file === null || typeof file !== 'object' || Array.isArray(file)) return { ok: true, config: DEFAULT_ROUTING };
  const f = file as Record<string, unknown>;
  const issues: RoutingIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field, message, text: `${field}: ${message}` });
  const parse = <T extends z.ZodType>(schema: T, raw: unknown, field: string): z.output<T> | null => {
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    for (const i of r.error.issues) {
      const at = [field, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/\.\[/g, '[');
      if (i.code === 'unrecognized_keys') for (const k of i.keys) bad(`${at}.${k}`, 'unknown field');
      else bad(at, i.message);
    }
    return null;
  };
  const list = (key: string): unknown[] => {
    const v = f[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(key, 'must be a list');
      return [];
    }
    return v;
  };
  const matchers = (texts: string[] | undefined, field: string): SilenceMatcher[] => {
    const out: SilenceMatcher[] = [];
    (texts ?? []).forEach((t, i) => {
      const parsed = parseMatcherText(t);
      if (!parsed.ok) return bad(`${field}[${i}]`, `${JSON.stringify(t)}: ${parsed.problem}`);
      for (const m of parsed.matchers) {
        const problem = m.op === '=~' || m.op === '!~' ? silenceMatchersProblem([{ label: 'x', op: '=', value: 'x' }, m]) : null;
        if (problem) return bad(`${field}[${i}]`, problem);
      }
      out.push(...parsed.matchers);
    });
    return out;
  };

  const contactPoints: ContactPoint[] = [];
  const secretVariables = new Map<string, { secret: string; at: string }>();
  list('contactPoints').forEach((raw, i) => {
    const at = `contactPoints[${i}]`;
    const c = parse(contactPointInput, raw, at);
    if (!c) return;
    const needsUrl = c.type !== 'desktop';
    if (needsUrl && !c.url === !c.urlSecret) return bad(at, `${c.type} needs exactly one of url or urlSecret`);
    if (!needsUrl && (c.url || c.urlSecret)) return bad(at, 'desktop takes no url');
    if (c.url) {
      // The message never repeats the URL: it may hold a token.
      if (!isHttpUrlText(c.url)) return bad(`${at}.url`, 'must be an http(s) URL');
      if (urlHoldsCredential(c.url)) return bad(`${at}.url`, 'holds a token or credential: keep it in the secret store and write urlSecret: <name> instead');
    }
    if (contactPoints.some((p) => p.name === c.name)) return bad(`${at}.name`, `duplicates contact point "${c.name}"`);
    // "a-b", "a_b" and "A-B" are three secrets in the store but one variable in the environment:
    // a headless run would send one team's pages to the other's hook.
    if (c.urlSecret) {
      const variable = secretEnvName(c.urlSecret);
      const first = secretVariables.get(variable);
      if (first && first.secret !== c.urlSecret) {
        return bad(`${at}.urlSecret`, `secrets "${first.secret}" (${first.at}) and "${c.urlSecret}" both read the environment variable ${variable} in headless runs; rename one so each has its own`);
      }
      if (!first) secretVariables.set(variable, { secret: c.urlSecret, at });
    }
    contactPoints.push({
      name: c.name,
      type: c.type,
      url: c.url ?? null,
      urlSecret: c.urlSecret ?? null,
      timeoutMs: c.timeout === undefined ? 5000 : parseDuration(c.timeout)!,
      maxAttempts: c.maxAttempts ?? 3,
      sendResolved: c.sendResolved ?? true,
      maxAlerts: c.maxAlerts ?? 0,
    });
  });
  if (!contactPoints.some((c) => c.name === DESKTOP.name)) contactPoints.push(DESKTOP);

  const muteTimings: MuteTiming[] = [];
  list('muteTimings').forEach((raw, i) => {
    const m = parse(muteTimingInput, raw, `muteTimings[${i}]`);
    if (!m) return;
    muteTimings.push({
      name: m.name,
      intervals: m.timeIntervals.map((ti) => ({
        times: (ti.times ?? []).map((t) => ({ startMin: minutes(t.start), endMin: minutes(t.end) })),
        weekdays: [...new Set((ti.weekdays ?? []).flatMap((w) => parseWeekdayRange(w)!))],
        location: ti.location ?? 'UTC',
      })),
    });
  });

  const policy = (raw: unknown, at: string, root: boolean): NotificationPolicy | null => {
    const p = parse(policyInput, raw, at);
    if (!p) return null;
    if (!contactPoints.some((c) => c.name === p.contactPoint)) bad(`${at}.contactPoint`, `no contact point named "${p.contactPoint}"`);
    for (const [j, mt] of (p.muteTimings ?? []).entries()) if (!muteTimings.some((m) => m.name === mt)) bad(`${at}.muteTimings[${j}]`, `no mute timing named "${mt}"`);
    if (root && p.matchers?.length) bad(`${at}.matchers`, 'the default policy matches every alert: it takes no matchers');
    groupByProblems(p.groupBy ?? [], `${at}.groupBy`, bad);
    if (root && p.continue) bad(`${at}.continue`, 'the default policy takes the alerts no policy takes: it has nothing to continue to (Alertmanager refuses continue on its root route)');
    return {
      contactPoint: p.contactPoint,
      matchers: matchers(p.matchers, `${at}.matchers`),
      groupBy: p.groupBy ?? ['alertname'],
      groupWaitMs: p.groupWait === undefined ? DEFAULTS.groupWaitMs : parseDuration(p.groupWait)!,
      groupIntervalMs: p.groupInterval === undefined ? DEFAULTS.groupIntervalMs : parseDuration(p.groupInterval)!,
      repeatIntervalMs: p.repeatInterval === undefined ? DEFAULTS.repeatIntervalMs : parseDuration(p.repeatInterval)!,
      continue: p.continue ?? false,
      muteTimings: p.muteTimings ?? [],
    };
  };
  const policies = list('policies')
    .map((raw, i) => policy(raw, `policies[${i}]`, false))
    .filter((p): p is NotificationPolicy => p !== null);
  const defaultPolicy = f.defaultPolicy === undefined ? DEFAULT_ROUTING.defaultPolicy : policy(f.defaultPolicy, 'defaultPolicy', true);

  const inhibitRules: InhibitRule[] = [];
  list('inhibitRules').forEach((raw, i) => {
    const r = parse(inhibitInput, raw, `inhibitRules[${i}]`);
    if (!r) return;
    inhibitRules.push({
      sourceMatchers: matchers(r.sourceMatchers, `inhibitRules[${i}].sourceMatchers`),
      targetMatchers: matchers(r.targetMatchers, `inhibitRules[${i}].targetMatchers`),
      equal: r.equal ?? [],
    });
  });

  const burnRates: BurnRateRule[] = [];
  const burnRateNames = new Map<string, number>();
  list('burnRates').forEach((raw, i) => {
    const at = `burnRates[${i}]`;
    const b = parse(burnRateInput, raw, at);
    if (!b) return;
    // One name is one rule's alerts and history: a second rule under it would share them.
    const first = burnRateNames.get(b.name);
    if (first !== undefined) return bad(`${at}.name`, `duplicates the name of burnRates[${first}]`);
    burnRateNames.set(b.name, i);
    const objective = parseThreshold(b.objective)!;
    const goal = typeof b.objective === 'number' && b.objective > 1 ? objective / 100 : objective;
    if (!(goal > 0 && goal < 1)) return bad(`${at}.objective`, 'must be between 0 % and 100 % (exclusive)');
    const windows = b.windows
      ? b.windows.map((w) => ({ severity: w.severity, factor: w.factor, longMs: parseDuration(w.long)!, shortMs: parseDuration(w.short)! }))
      : DEFAULT_BURN_WINDOWS;
    for (const [j, w] of windows.entries()) {
      if (w.shortMs < 60_000 || w.longMs > MAX_BURN_WINDOW_MS || w.shortMs >= w.longMs || w.shortMs % 60_000 || w.longMs % 60_000) {
        bad(`${at}.windows[${j}]`, 'short and long must be whole minutes, 1m <= short < long <= 24h');
      }
      // With every attempt bad the burn rate is 1 / budget: a factor above it never fires, and a
      // page pair that can never fire must not pass for a working SLO alert.
      const maxBurn = 1 / (1 - goal);
      if (w.factor > maxBurn * (1 + 1e-9)) {
        const most = Math.floor(maxBurn * 100 + 1e-6) / 100;
        bad(
          `${at}.windows[${j}]`,
          `factor ${w.factor} can never be reached with a ${Number((goal * 100).toFixed(3))} % objective: when every attempt is bad the burn rate is ${most}x; write windows with a factor of at most ${most}`,
        );
      }
    }
    burnRates.push({
      name: b.name,
      description: b.description ?? `error budget burn of ${b.name}`,
      sli: b.sli ?? 'approval',
      objective: goal,
      groupBy: b.groupBy ?? null,
      minVolume: b.minVolume ?? 0,
      periodMs: b.period === undefined ? 30 * 86400_000 : parseDuration(b.period)!,
      windows,
      labels: b.labels ?? {},
    });
  });

  if (issues.length || !defaultPolicy) return { ok: false, issues: issues.length ? issues : [{ field: 'defaultPolicy', message: 'invalid', text: 'defaultPolicy: invalid' }] };
  return { ok: true, config: { contactPoints, policies, defaultPolicy, muteTimings, inhibitRules, burnRates } };
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Alertmanager's group_by rules: label names, each once, or '...' alone (every label). */
function groupByProblems(groupBy: readonly string[], at: string, bad: (field: string, message: string) => void): void {
  if (groupBy.includes('...')) {
    if (groupBy.length > 1) bad(at, "'...' groups by every label: it cannot be listed with other labels");
    return;
  }
  groupBy.forEach((label, i) => {
    const badName = labelNameProblem(label);
    if (badName) bad(`${at}[${i}]`, badName);
    else if (groupBy.indexOf(label) < i) bad(`${at}[${i}]`, `${JSON.stringify(label)} is listed twice`);
  });
}
