// Which queues are dead-letter queues, as an operator would say: those whose name says so
// (dlq, dead-letter), those a queue's x-dead-letter-* arguments deliver to (bound to its
// dead-letter exchange, or named by its x-dead-letter-routing-key on the default exchange),
// and those the operator names. The broker keeps no flag for it, so this is the best reading
// of the vhost's own configuration.
import type { DeadLetterQueueView } from '../../../shared/deadLetters';
import type { ManagementClient } from './managementClient';

export interface QueueArguments {
  name: string;
  messages?: number | null;
  arguments?: Record<string, unknown> | null;
}

const DLQ_NAME = /(^|[._:-])(dlq|dead[._-]?letters?|deadletters?)([._:-]|$)/i;
/** Dead-letter exchanges looked up per listing, at most (one bindings request each). */
const MAX_DLX = 50;

export function looksLikeDeadLetterQueue(name: string): boolean {
  return DLQ_NAME.test(name);
}

/** The dead-letter exchanges the queues' arguments name (the default exchange, '', excluded). */
export function deadLetterExchanges(queues: readonly QueueArguments[]): string[] {
  const out = new Set<string>();
  for (const q of queues) {
    const dlx = q.arguments?.['x-dead-letter-exchange'];
    if (typeof dlx === 'string' && dlx !== '') out.add(dlx);
  }
  return [...out].slice(0, MAX_DLX);
}

/**
 * The dead-letter queues of a vhost. `boundTo`: the queues bound to each dead-letter exchange
 * (a topic or direct DLX routes by the dead letter's key, so a bound queue may receive only
 * some: it still counts). Named queues come first, in the order named; then the rest by name.
 */
export function findDeadLetterQueues(queues: readonly QueueArguments[], boundTo: ReadonlyMap<string, readonly string[]>, named: readonly string[]): DeadLetterQueueView[] {
  const views = new Map<string, DeadLetterQueueView>();
  const messagesOf = new Map(queues.map((q) => [q.name, q.messages ?? null]));
  const view = (name: string): DeadLetterQueueView => {
    let v = views.get(name);
    if (!v) views.set(name, (v = { name, messages: messagesOf.get(name) ?? null, reasons: [], feeders: [] }));
    return v;
  };
  const because = (v: DeadLetterQueueView, reason: DeadLetterQueueView['reasons'][number]) => {
    if (!v.reasons.includes(reason)) v.reasons.push(reason);
  };
  for (const name of named) because(view(name), 'named');
  for (const q of queues) if (looksLikeDeadLetterQueue(q.name)) because(view(q.name), 'name');
  for (const q of queues) {
    const dlx = q.arguments?.['x-dead-letter-exchange'];
    if (typeof dlx !== 'string') continue;
    const key = q.arguments?.['x-dead-letter-routing-key'];
    const targets = dlx === '' ? (typeof key === 'string' ? [key] : []) : (boundTo.get(dlx) ?? []);
    for (const target of targets) {
      if (target === q.name) continue;
      const v = view(target);
      because(v, 'dead-letter-exchange');
      if (!v.feeders.includes(q.name)) v.feeders.push(q.name);
    }
  }
  const namedFirst = new Map(named.map((n, i) => [n, i]));
  return [...views.values()].sort((a, b) => (namedFirst.get(a.name) ?? Infinity) - (namedFirst.get(b.name) ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads the vhost's queues and its dead-letter exchanges' bindings through the management API. */
export async function listDeadLetterQueues(client: ManagementClient, named: readonly string[]): Promise<DeadLetterQueueView[]> {
  const queues = await client.queueArguments();
  const boundTo = new Map<string, string[]>();
  for (const dlx of deadLetterExchanges(queues)) {
    // A dead-letter exchange may not exist (yet): its queues then dead-letter nowhere.
    boundTo.set(dlx, await client.queuesBoundTo(dlx).catch(() => []));
  }
  return findDeadLetterQueues(queues, boundTo, named);
}
