// The broker profile form's model: strings as typed, checked with the shared schema.
import { brokerProfileSchema, QUEUE_TYPES, type BrokerProfile, type BrokerProfileView, type QueueType } from '../../../shared/profiles';

export type ExchangeType = BrokerProfile['exchangeType'];
export const EXCHANGE_TYPES: readonly ExchangeType[] = ['topic', 'direct', 'fanout', 'headers'];
export { QUEUE_TYPES };

export interface ProfileDraft {
  id: string;
  name: string;
  url: string;
  exchange: string;
  exchangeType: ExchangeType;
  /** One binding key per line (commas also split). */
  bindings: string;
  /** Empty: this console's own queue. */
  queue: string;
  queueType: QueueType;
  /** Hours as typed; empty: the default (24 h for the console's own queue, none for a named one). */
  queueExpires: string;
  prefetch: string;
  /** One queue name per line (commas also split). */
  watchQueues: string;
  /** Empty: derived from the AMQP URL (port 15672). */
  managementUrl: string;
}

export type DraftField = keyof ProfileDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

export function emptyDraft(): ProfileDraft {
  return {
    id: '',
    name: '',
    url: 'amqp://localhost:5672',
    exchange: 'payments',
    exchangeType: 'topic',
    bindings: 'payment.#\nrisk.#',
    queue: '',
    queueType: 'classic',
    queueExpires: '',
    prefetch: '10000',
    watchQueues: '',
    managementUrl: '',
  };
}

export function draftFromProfile(p: BrokerProfileView | BrokerProfile): ProfileDraft {
  return {
    id: p.id,
    name: p.name,
    url: p.url,
    exchange: p.exchange,
    exchangeType: p.exchangeType,
    bindings: p.bindings.join('\n'),
    // The old default name meant "the default": shown as the console's own queue (empty).
    queue: p.queue === 'payops.console' ? '' : (p.queue ?? ''),
    queueType: p.queueType,
    queueExpires: p.queueExpiresHours === undefined ? '' : String(p.queueExpiresHours),
    prefetch: String(p.prefetch),
    watchQueues: p.watchQueues.join('\n'),
    managementUrl: p.managementUrl ?? '',
  };
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** An id from the name (letters, digits, - and _), unique among `taken`. */
export function makeProfileId(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'profile';
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const id = `${base}-${i}`;
    if (!used.has(id)) return id;
  }
}

export type DraftResult = { ok: true; profile: BrokerProfile } | { ok: false; errors: DraftErrors };

/** Validates the draft with the shared brokerProfileSchema; errors are keyed by form field. */
export function draftToProfile(draft: ProfileDraft): DraftResult {
  const prefetchText = draft.prefetch.trim();
  const prefetch = prefetchText === '' ? Number.NaN : Number(prefetchText);
  const expiresText = draft.queueExpires.trim();
  const queue = draft.queue.trim();
  const candidate = {
    id: draft.id,
    name: draft.name.trim(),
    url: draft.url.trim(),
    exchange: draft.exchange.trim(),
    exchangeType: draft.exchangeType,
    bindings: splitList(draft.bindings),
    ...(queue ? { queue } : {}),
    queueType: draft.queueType,
    ...(expiresText ? { queueExpiresHours: Number(expiresText) } : {}),
    prefetch,
    watchQueues: splitList(draft.watchQueues),
    ...(draft.managementUrl.trim() ? { managementUrl: draft.managementUrl.trim() } : {}),
  };
  const parsed = brokerProfileSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, profile: parsed.data };
  const errors: DraftErrors = {};
  for (const issue of parsed.error.issues) {
    const schemaField = String(issue.path[0] ?? 'name');
    const field = (schemaField === 'queueExpiresHours' ? 'queueExpires' : schemaField) as DraftField;
    if (errors[field]) continue;
    const where = issue.path.length > 1 ? ` (item ${Number(issue.path[1]) + 1})` : '';
    errors[field] =
      field === 'prefetch' && !Number.isFinite(prefetch)
        ? 'must be a whole number'
        : field === 'queueExpires' && !Number.isFinite(Number(expiresText))
          ? 'a number of hours (0: never expires)'
          : `${humanMessage(issue)}${where}`;
  }
  return { ok: false, errors };
}

/**
 * The schema's own message (shared/profiles.ts words each check for an operator); zod's
 * default wording ("Too small: expected string to have >=1 characters") is never shown.
 */
export function humanMessage(issue: { code: string; message: string; minimum?: unknown; maximum?: unknown }): string {
  if (!/^(Too (small|big)|Invalid|Expected|Unrecognized)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_small':
      return issue.minimum === 1 || issue.minimum === 1n ? 'required' : `at least ${String(issue.minimum)}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return 'missing or of the wrong kind';
    case 'invalid_format':
      return 'not in the expected form';
    default:
      return 'not valid';
  }
}
