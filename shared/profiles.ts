import { z } from 'zod';

export const QUEUE_TYPES = ['classic', 'quorum', 'stream'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

const name = z.string().min(1).max(255).regex(/^[\w.:@/-]+$/, 'letters, digits and . _ - : @ / only');

/** A broker profile as the operator edits it. The password never travels back to the renderer. */
export const brokerProfileSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[\w-]+$/),
  name: z.string().min(1).max(100),
  /** amqp:// or amqps:// URL; a password in it is moved to the secret store on save. */
  url: z
    .string()
    .max(2048)
    .refine((u) => /^amqps?:\/\/[^\s]+$/i.test(u), 'must be an amqp:// or amqps:// URL'),
  exchange: name.default('payments'),
  exchangeType: z.enum(['topic', 'direct', 'fanout', 'headers']).default('topic'),
  bindings: z.array(z.string().min(1).max(255)).max(64).default(['payment.#', 'risk.#']),
  queue: name.default('payops.console'),
  queueType: z.enum(QUEUE_TYPES).default('classic'),
  prefetch: z.number().int().min(1).max(65535).default(10000),
  watchQueues: z.array(name).max(64).default([]),
});

export type BrokerProfile = z.infer<typeof brokerProfileSchema>;

/** What the renderer sees: the URL with its password replaced, plus whether one is stored. */
export type BrokerProfileView = BrokerProfile & { hasPassword: boolean };
