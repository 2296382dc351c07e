// Browsing a dead-letter queue without consuming it: the management API's "get messages"
// with ackmode ack_requeue_true puts every message back, so a browse loses nothing.
import { managementMessagesSchema, type DeadLetterMessage, type DryRunSummary, type ManagementMessage } from '../../../shared/deadLetters';
import type { ManagementClient } from './managementClient';
import { describeDeadLetter, type DeadLetterInput } from './deadLetterMessage';

export const MAX_BROWSE = 500;

export async function browseDeadLetters(client: ManagementClient, queue: string, count = 100): Promise<DeadLetterMessage[]> {
  return (await browseDeadLetterInputs(client, queue, count)).map(describeDeadLetter);
}

/** The browsed messages as they are (whole bodies and headers): what a sandbox dry run replays. */
export async function browseDeadLetterInputs(client: ManagementClient, queue: string, count = 100): Promise<DeadLetterInput[]> {
  const messages = await client.peekMessages(queue, Math.min(Math.max(1, count), MAX_BROWSE), managementMessagesSchema);
  return messages.map(fromManagement);
}

function fromManagement(m: ManagementMessage): DeadLetterInput {
  const props = Array.isArray(m.properties) ? {} : (m.properties ?? {});
  const p = props as { headers?: Record<string, unknown> | null; content_type?: string | null; message_id?: string | null };
  const body = m.payload_encoding === 'base64' ? Buffer.from(m.payload, 'base64') : Buffer.from(m.payload, 'utf8');
  return {
    body,
    headers: p.headers ?? null,
    contentType: p.content_type ?? null,
    messageId: p.message_id ?? null,
    exchange: m.exchange ?? '',
    routingKey: m.routing_key ?? '',
  };
}

export type { DryRunSummary } from '../../../shared/deadLetters';


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
