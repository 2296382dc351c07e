// Browsing a dead-letter queue without consuming it: the management API's "get messages"
// with ackmode ack_requeue_true puts every message back, so a browse loses nothing. Putting
// back counts as a delivery on a quorum queue: one with a delivery limit would drop the
// messages after a few browses, so it is refused first (deadLetterDeliveryLimit.ts).
import { managementMessagesSchema, type ManagementMessage } from '../../../shared/deadLetters';
import type { ManagementClient } from './managementClient';
import { assertRequeueSafe, type RequeueAction } from './deadLetterDeliveryLimit';
import { describeDeadLetter, type DeadLetterInput, type DescribedDeadLetter } from './deadLetterMessage';

export const MAX_BROWSE = 500;

export async function browseDeadLetters(client: ManagementClient, queue: string, count = 100): Promise<DescribedDeadLetter[]> {
  return (await browseDeadLetterInputs(client, queue, count)).map(describeDeadLetter);
}

/**
 * The browsed messages as they are (whole bodies and headers): what a sandbox dry run replays.
 * Throws DeliveryLimitRefusal, reading nothing, for a quorum queue with a delivery limit.
 */
export async function browseDeadLetterInputs(client: ManagementClient, queue: string, count = 100, action: RequeueAction = 'browse'): Promise<DeadLetterInput[]> {
  await assertRequeueSafe(client, queue, action);
  const messages = await client.peekMessages(queue, Math.min(Math.max(1, count), MAX_BROWSE), managementMessagesSchema);
  return messages.map(fromManagement);
}

function fromManagement(m: ManagementMessage): DeadLetterInput {
  const props = Array.isArray(m.properties) ? {} : (m.properties ?? {});
  const p = props as { headers?: Record<string, unknown> | null; content_type?: string | null; content_encoding?: unknown; message_id?: string | null };
  const body = m.payload_encoding === 'base64' ? Buffer.from(m.payload, 'base64') : Buffer.from(m.payload, 'utf8');
  return {
    body,
    headers: p.headers ?? null,
    contentType: p.content_type ?? null,
    messageId: p.message_id ?? null,
    exchange: m.exchange ?? '',
    routingKey: m.routing_key ?? '',
    contentEncoding: typeof p.content_encoding === 'string' ? p.content_encoding : null,
  };
}

// The plan of a dry run is pure and shown by the console before a redrive too: it lives in shared/.
export { dryRun, type DryRunSummary } from '../../../shared/deadLetters';
