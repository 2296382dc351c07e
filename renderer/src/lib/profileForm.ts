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
  queue: string;
  queueType: QueueType;
  prefetch: string;
  /** One queue name per line (commas also split). */
  watchQueues: string;
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
    queue: 'payops.console',
    queueType: 'classic',
    prefetch: '10000',
    watchQueues: '',
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
    queue: p.queue,
    queueType: p.queueType,
    prefetch: String(p.prefetch),
    watchQueues: p.watchQueues.join('\n'),
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
  const candidate = {
    id: draft.id,
    name: draft.name.trim(),
    url: draft.url.trim(),
    exchange: draft.exchange.trim(),
    exchangeType: draft.exchangeType,
    bindings: splitList(draft.bindings),
    queue: draft.queue.trim(),
    queueType: draft.queueType,
    prefetch,
    watchQueues: splitList(draft.watchQueues),
  };
  const parsed = brokerProfileSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, profile: parsed.data };
  const errors: DraftErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'name') as DraftField;
    if (errors[field]) continue;
    const where = issue.path.length > 1 ? ` (item ${Number(issue.path[1]) + 1})` : '';
    errors[field] = field === 'prefetch' && !Number.isFinite(prefetch) ? 'must be a whole number' : `${issue.message}${where}`;
  }
  return { ok: false, errors };
}
