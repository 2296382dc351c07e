// Whether reading a dead-letter queue and putting its messages back is safe. A browse (the
// management API's get with requeue), a dry run and a redrive (which gives back what it does
// not send, and whatever it holds when it is interrupted) all requeue. On a quorum queue each
// requeue counts as a delivery (the x-delivery-count header), and at the queue's delivery
// limit the broker drops the message (or dead-letters it on), without a word to whoever
// browsed. So a quorum queue with a delivery limit (its x-delivery-limit argument, a policy's
// or an operator policy's delivery-limit, or RabbitMQ 4.x's default of 20) is refused, and so
// is a quorum queue whose limit cannot be read (the management API out of reach).
import { z } from 'zod';
import { safeErrorMessage } from '../redact';
import { isAbsentObject, ManagementError, type ManagementClient } from './managementClient';

export type RequeueAction = 'browse' | 'dry-run' | 'redrive';

/** Refused: reading the queue would count toward its delivery limit (or that cannot be ruled out). */
export class DeliveryLimitRefusal extends Error {
  override readonly name = 'DeliveryLimitRefusal';
  constructor(
    message: string,
    readonly queue: string,
    readonly deliveryLimit: number | null,
  ) {
    super(message);
  }
}

/** RabbitMQ 4.x gives quorum queues this delivery limit when none is set. */
export const RABBITMQ_4_DEFAULT_DELIVERY_LIMIT = 20;

export interface DeliveryLimitFacts {
  /** 'classic', 'quorum', 'stream' (null: the answer did not say: classic on old brokers). */
  type: string | null;
  arguments: Record<string, unknown> | null;
  /** The queue's effective policy definition (null: none; undefined: the answer did not say yet). */
  effectivePolicy: Record<string, unknown> | null | undefined;
  /** Policies and operator policies of the vhost matching the queue (null: could not be read). */
  matchingPolicies: { kind: 'policy' | 'operator policy'; name: string; definition: Record<string, unknown> }[] | null;
  /** The broker's version, e.g. "3.10.8" (null: unknown). */
  version: string | null;
}

export type DeliveryLimitVerdict =
  | { safe: true }
  | { safe: false; limit: number; source: string }
  | { safe: false; limit: null; source: string };

function limitOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** Pure: what the queue's facts say about requeueing its messages. */
export function deliveryLimitVerdict(f: DeliveryLimitFacts): DeliveryLimitVerdict {
  if (f.type !== 'quorum') return { safe: true };
  const set: { limit: number; source: string }[] = [];
  const arg = limitOf(f.arguments?.['x-delivery-limit']);
  if (arg !== null) set.push({ limit: arg, source: 'its x-delivery-limit argument' });
  const eff = limitOf(f.effectivePolicy?.['delivery-limit']);
  if (eff !== null) set.push({ limit: eff, source: 'its effective policy (delivery-limit)' });
  for (const p of f.matchingPolicies ?? []) {
    const l = limitOf(p.definition['delivery-limit']);
    if (l !== null) set.push({ limit: l, source: `${p.kind} "${p.name}" (delivery-limit)` });
  }
  // A limit of 0 or more counts (the smallest wins, as the broker takes it); a negative one is
  // "no limit" (RabbitMQ 4.x's -1).
  const limits = set.filter((s) => s.limit >= 0).sort((a, b) => a.limit - b.limit);
  if (limits.length > 0) return { safe: false, limit: limits[0].limit, source: limits[0].source };
  if (f.effectivePolicy === undefined && f.matchingPolicies === null) {
    return { safe: false, limit: null, source: 'its policies could not be read' };
  }
  if (set.length > 0) return { safe: true }; // every limit set says "none" (-1)
  const major = f.version ? Number(/^(\d+)\./.exec(f.version)?.[1]) : NaN;
  if (!Number.isFinite(major)) return { safe: false, limit: null, source: 'the broker version is unknown (RabbitMQ 4.x sets a default delivery limit of 20)' };
  if (major >= 4) return { safe: false, limit: RABBITMQ_4_DEFAULT_DELIVERY_LIMIT, source: `RabbitMQ ${f.version}'s default for quorum queues` };
  return { safe: true };
}

const WHY: Record<RequeueAction, string> = {
  browse: 'a browse reads each message and puts it back',
  'dry-run': 'a dry run reads each message and puts it back',
  redrive: 'a redrive puts back each message it does not send (not selected, skipped, failed, or held when it is interrupted)',
};

const WHAT_TO_DO =
  'Move the messages to a classic queue first (for example a shovel from this queue to a new classic queue, then use that one), ' +
  'or raise or remove the limit (a policy with a larger delivery-limit; on RabbitMQ 4.x, delivery-limit -1 for none).';

export function refusalMessage(queue: string, action: RequeueAction, v: Exclude<DeliveryLimitVerdict, { safe: true }>): string {
  const verb = action === 'dry-run' ? 'dry-run' : action;
  const head =
    v.limit === null
      ? `refusing to ${verb} quorum queue "${queue}": cannot tell whether it has a delivery limit (${v.source})`
      : `refusing to ${verb} quorum queue "${queue}": it has a delivery limit of ${v.limit} (${v.source})`;
  return (
    `${head}, and ${WHY[action]}, which a quorum queue counts as a delivery (x-delivery-count); ` +
    `at the limit the broker drops the message (or dead-letters it on). Nothing was read. ${WHAT_TO_DO}`
  );
}

const queueSchema = z
  .object({
    name: z.string(),
    type: z.string().nullish(),
    arguments: z.record(z.string(), z.unknown()).nullish(),
    effective_policy_definition: z.record(z.string(), z.unknown()).nullish().or(z.array(z.unknown()).length(0)),
  })
  .passthrough();
const policiesSchema = z.array(
  z.object({ name: z.string(), pattern: z.string(), 'apply-to': z.string().nullish(), priority: z.number().nullish(), definition: z.record(z.string(), z.unknown()) }),
);
const overviewSchema = z.object({ rabbitmq_version: z.string().nullish() }).passthrough();

/** The policies (or operator policies) of the vhost that apply to the queue, highest priority first (the broker applies the first). */
function matching(list: z.infer<typeof policiesSchema>, queue: string): z.infer<typeof policiesSchema> {
  return list
    .filter((p) => ['all', 'queues', 'quorum_queues'].includes(p['apply-to'] ?? 'all'))
    .filter((p) => {
      try {
        return new RegExp(p.pattern).test(queue);
      } catch {
        return true; // a pattern we cannot read: assume it applies (the safe side)
      }
    })
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))
    .slice(0, 1);
}

/**
 * Reads the queue's type, arguments, policies and the broker's version through the management
 * API, with ManagementClient's bounds and errors: a fetch of its own said "queue not found" for
 * a wrong address's 404, "Unexpected token '<'" for a proxy's page, "HTTP 401", and read any
 * answer whole.
 */
export async function deliveryLimitFacts(client: ManagementClient, queue: string): Promise<DeliveryLimitFacts> {
  const vhost = encodeURIComponent(client.endpoint.vhost);
  const q = await client.get(`/api/queues/${vhost}/${encodeURIComponent(queue)}`, queueSchema, `queue ${queue}`);
  const type = q.type ?? null;
  if (type !== 'quorum') return { type, arguments: q.arguments ?? null, effectivePolicy: null, matchingPolicies: [], version: null };
  // The effective policy is in the answer once the queue's statistics have been emitted (a few
  // seconds after it is declared or a policy changes): the vhost's policies are read as well.
  const effectivePolicy = 'effective_policy_definition' in q ? (Array.isArray(q.effective_policy_definition) ? null : (q.effective_policy_definition ?? null)) : undefined;
  let matchingPolicies: DeliveryLimitFacts['matchingPolicies'] = null;
  try {
    const [policies, operator] = await Promise.all([
      client.get(`/api/policies/${vhost}`, policiesSchema, 'policies'),
      client.get(`/api/operator-policies/${vhost}`, policiesSchema, 'operator policies').catch((err: unknown) => {
        if (err instanceof ManagementError && err.kind === 'not-found') return []; // no operator policies endpoint: none
        throw err;
      }),
    ]);
    matchingPolicies = [
      ...matching(policies, queue).map((p) => ({ kind: 'policy' as const, name: p.name, definition: p.definition })),
      ...matching(operator, queue).map((p) => ({ kind: 'operator policy' as const, name: p.name, definition: p.definition })),
    ];
  } catch {
    matchingPolicies = null; // e.g. a user without the policymaker or monitoring tag
  }
  const version = await client.get('/api/overview?columns=rabbitmq_version', overviewSchema, 'overview')
    .then((o) => o.rabbitmq_version ?? null)
    .catch(() => null);
  return { type, arguments: q.arguments ?? null, effectivePolicy, matchingPolicies, version };
}

/**
 * Throws DeliveryLimitRefusal unless requeueing the queue's messages is safe: a classic queue,
 * or a quorum queue without a delivery limit. Without the management API (null, or out of
 * reach) the queue's type is unknown, and it is refused rather than risk a quorum queue.
 */
export async function assertRequeueSafe(client: ManagementClient | null, queue: string, action: RequeueAction): Promise<void> {
  if (!client) {
    throw new DeliveryLimitRefusal(
      `refusing to ${action} "${queue}": without the management API payops cannot tell whether it is a quorum queue with a delivery limit, ` +
        `where putting messages back counts as a delivery and the broker drops them at the limit. Give the management API (--management), or move the messages to a classic queue first.`,
      queue,
      null,
    );
  }
  let facts: DeliveryLimitFacts;
  try {
    facts = await deliveryLimitFacts(client, queue);
  } catch (err) {
    if (isAbsentObject(err)) throw new Error(`queue "${queue}" not found in vhost "${client.endpoint.vhost}" (management API at ${client.endpoint.baseUrl})`);
    throw new DeliveryLimitRefusal(
      `refusing to ${action} "${queue}": the management API at ${client.endpoint.baseUrl} did not say what kind of queue it is (${safeErrorMessage(err)}), ` +
        `and on a quorum queue with a delivery limit putting messages back counts as a delivery (the broker drops them at the limit). Try again once the management API answers.`,
      queue,
      null,
    );
  }
  const v = deliveryLimitVerdict(facts);
  if (!v.safe) throw new DeliveryLimitRefusal(refusalMessage(queue, action, v), queue, v.limit);
}
