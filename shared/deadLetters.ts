// Dead letters as the console shows them: a message of a dead-letter queue, where it died
// (x-death: exchange, routing key, queue, reason, count) and what the console would make
// of it; and the audit of redrives sending them home.
import { z } from 'zod';

export interface DeathRecord {
  queue: string;
  reason: string;
  exchange: string;
  routingKeys: string[];
  count: number;
  /** When (ms), when the broker said. */
  time: number | null;
}

/** What the console's decoder makes of a dead letter: the explorer's columns, or why it would quarantine it. */
export type DecodedDeadLetter =
  | {
      ok: true;
      type: string;
      eventId: string;
      /** Optional for output written before these columns existed; always set by the decoder now. */
      paymentId?: string | null;
      merchantId?: string | null;
      /** Minor units of `currency` (format with shared/format.ts). */
      amount?: number | null;
      currency?: string | null;
      /** Event time (ms). */
      timeMs?: number | null;
    }
  | { ok: false; reason: string };

/** Where a redrive sends a message: the exchange and routing key it was first published with. */
export interface DeadLetterOrigin {
  exchange: string;
  routingKey: string;
  queue: string;
  reason: string;
}

export interface DeadLetterMessage {
  /** message-id property, else the CloudEvent id in the body, else a hash of the body. */
  id: string;
  /**
   * This copy of the message (`copy:` and a hash of its message id, body, x-death history,
   * first death and redrive mark): two dead letters with one id (a producer's retry, or one id
   * dead-lettered from two queues) differ here, as long as their bodies or deaths differ (a
   * death's time is in seconds). Stable while it waits in the queue, so a redrive's audit of
   * one copy is never read as another's, and one copy can be selected.
   */
  copyId: string;
  /** Where it is now (the dead-letter exchange and key it came through). */
  exchange: string;
  routingKey: string;
  deaths: DeathRecord[];
  /** null when it has no x-death (not dead-lettered by the broker: a redrive cannot send it home). */
  origin: DeadLetterOrigin | null;
  /** What the console would do with it: store as event <type>, or quarantine (reason). */
  decoded: DecodedDeadLetter;
  contentType: string | null;
  bodyPreview: string;
  bytes: number;
}

/** What a redrive did to one message, in order: publishing, confirmed, removed (or skipped /
 * failed), or the whole redrive refused (read-only mode). */
export type RedriveStep = 'publishing' | 'confirmed' | 'removed' | 'skipped' | 'failed' | 'refused';

export interface RedriveAuditEntry {
  redriveId: string;
  at: number;
  actor: string;
  messageId: string;
  fromQueue: string;
  toExchange: string | null;
  toRoutingKey: string | null;
  step: string;
  detail: string | null;
  /** Which copy of the message (`DeadLetterMessage.copyId`); null for a step written before copies were told apart, or for the whole redrive ('refused'). */
  copyId?: string | null;
}

/** One message of the management API's "get messages" answer. */
export const managementMessageSchema = z.object({
  payload: z.string(),
  payload_encoding: z.enum(['string', 'base64']),
  payload_bytes: z.number().nullish(),
  exchange: z.string().nullish(),
  routing_key: z.string().nullish(),
  redelivered: z.boolean().nullish(),
  properties: z
    .object({
      headers: z.record(z.string(), z.unknown()).nullish(),
      content_type: z.string().nullish(),
      message_id: z.string().nullish(),
    })
    .passthrough()
    .or(z.array(z.unknown()).length(0))
    .nullish(),
});
export const managementMessagesSchema = z.array(managementMessageSchema);
export type ManagementMessage = z.infer<typeof managementMessageSchema>;

/** What the console would store and quarantine of a selection, and where a redrive would send it. */
export interface DryRunSummary {
  messages: number;
  wouldStore: Record<string, number>;
  wouldQuarantine: { id: string; reason: string }[];
  noOrigin: string[];
  targets: { exchange: string; routingKey: string; count: number }[];
}

/** What the console would store and quarantine of a selection, and where a redrive would send each message (grouped by target). */
export function dryRun(messages: readonly DeadLetterMessage[]): DryRunSummary {
  const wouldStore: Record<string, number> = {};
  const wouldQuarantine: DryRunSummary['wouldQuarantine'] = [];
  const noOrigin: string[] = [];
  const targets = new Map<string, { exchange: string; routingKey: string; count: number }>();
  for (const m of messages) {
    if (m.decoded.ok) wouldStore[m.decoded.type] = (wouldStore[m.decoded.type] ?? 0) + 1;
    else wouldQuarantine.push({ id: m.id, reason: m.decoded.reason });
    if (!m.origin) {
      noOrigin.push(m.id);
      continue;
    }
    const key = `${m.origin.exchange}\u0000${m.origin.routingKey}`;
    const t = targets.get(key) ?? { exchange: m.origin.exchange, routingKey: m.origin.routingKey, count: 0 };
    t.count++;
    targets.set(key, t);
  }
  return { messages: messages.length, wouldStore, wouldQuarantine, noOrigin, targets: [...targets.values()] };
}

/**
 * The selection replayed into a sandbox session (a throwaway database, deleted after): what
 * the console would store, what it already holds (duplicates by event identity), what it
 * would quarantine and which of the session's alert rules would fire on the selection.
 */
export interface DeadLetterSandboxReport {
  messages: number;
  stored: number;
  storedByType: Record<string, number>;
  /** Already in the console's database, or twice in the selection: stored once, counted here. */
  duplicates: number;
  duplicateIds: string[];
  quarantined: { id: string; reason: string }[];
  /** Rules evaluated (the session's current ones). */
  rules: number;
  alerts: { rule: string; severity: string; group: string; summary: string; firedAt: number | null }[];
}

/** What a redrive did (the CLI's --json output and the console's answer). */
export interface RedriveResult {
  redriveId: string;
  redriven: number;
  /** Confirmed by an earlier, interrupted redrive and removed now without re-sending. */
  removedOnly: number;
  skipped: { id: string; reason: string }[];
  failed: { id: string; reason: string }[];
  /** Redriven although an earlier redrive may have sent them (it stopped between publish and confirm). */
  inDoubt: string[];
  targets: { exchange: string; routingKey: string; count: number }[];
}

/** A dead-letter queue the console watches, and why it counts as one. */
export interface DeadLetterQueueView {
  name: string;
  messages: number | null;
  /** 'name': its name says so (dlq, dead-letter...); 'dead-letter-exchange': bound to a queue's x-dead-letter-exchange, or its x-dead-letter-routing-key; 'named': the operator or the profile named it. */
  reasons: ('name' | 'dead-letter-exchange' | 'named')[];
  /** The queues that dead-letter into it (known from their arguments). */
  feeders: string[];
}

const queueName = z.string().min(1).max(255);
const messageIds = z.array(z.string().min(1).max(512)).max(500).default([]);
/** Copies selected one by one (`DeadLetterMessage.copyId`), beside or instead of ids. */
const copyIds = z.array(z.string().min(1).max(128)).max(500).default([]);
const someSelected = { error: 'select at least one message: ids or copies', path: ['ids'] };
const selects = (s: { ids: string[]; copies: string[] }) => s.ids.length + s.copies.length > 0;

export const deadLettersRequestSchemas = {
  /** `named`: queues the operator watches by name besides those found. */
  'deadLetters.queues': z.object({ named: z.array(queueName).max(100).default([]) }).strict(),
  'deadLetters.browse': z.object({ queue: queueName, count: z.number().int().min(1).max(500).default(100) }).strict(),
  /** `ids` selects every browsed message holding each id; `copies` one message each. */
  'deadLetters.dryRun': z
    .object({ queue: queueName, ids: messageIds, copies: copyIds, count: z.number().int().min(1).max(500).default(500) })
    .strict()
    .refine(selects, someSelected),
  /** `ids`: one message per listed id (an id listed twice: two); `copies`: those copies. */
  'deadLetters.redrive': z
    .object({ queue: queueName, ids: messageIds, copies: copyIds, ratePerSecond: z.number().positive().max(10_000).default(50) })
    .strict()
    .refine(selects, someSelected),
  'deadLetters.audit': z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
} as const;

export interface DeadLettersResults {
  'deadLetters.queues': { queues: DeadLetterQueueView[]; readOnly: boolean; vhost: string };
  'deadLetters.browse': { queue: string; messages: DeadLetterMessage[] };
  /** `missing`: the ids and copies asked for that the browse did not find. */
  'deadLetters.dryRun': { plan: DryRunSummary; sandbox: DeadLetterSandboxReport; missing: string[] };
  'deadLetters.redrive': RedriveResult;
  'deadLetters.audit': { entries: RedriveAuditEntry[] };
}
