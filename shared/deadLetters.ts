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
  /** Where it is now (the dead-letter exchange and key it came through). */
  exchange: string;
  routingKey: string;
  deaths: DeathRecord[];
  /** null when it has no x-death (not dead-lettered by the broker: a redrive cannot send it home). */
  origin: DeadLetterOrigin | null;
  /** What the console would do with it: store as event <type>, or quarantine (reason). */
  decoded: { ok: true; type: string; eventId: string } | { ok: false; reason: string };
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
