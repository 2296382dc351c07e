// Which message a delivery of a classic or quorum queue is, across its deliveries (a message has
// no other stable name): a digest of its queue, routing key and body. The redelivery guard
// (engine thread) and the decode guard (both threads) count by it.
import { createHash } from 'node:crypto';

export function redeliveryKey(queue: string, routingKey: string | null | undefined, body: Uint8Array): string {
  return createHash('sha256').update(queue).update('\0').update(routingKey ?? '').update('\0').update(body).digest('base64');
}
