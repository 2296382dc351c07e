import { z } from 'zod';

export const QUEUE_TYPES = ['classic', 'quorum', 'stream'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

// Every check says what is wrong in the operator's words: these messages are shown as they
// are in Settings and in API errors (zod's defaults read "Too small: expected string to have
// >=1 characters").
const name = z
  .string()
  .min(1, 'required')
  .max(255, 'at most 255 characters')
  .regex(/^[\w.:@/-]+$/, 'letters, digits and . _ - : @ / only (no spaces)');

/** A broker profile as the operator edits it. The password never travels back to the renderer. */
export const brokerProfileSchema = z.object({
  id: z.string().min(1, 'required').max(64, 'at most 64 characters').regex(/^[\w-]+$/, 'letters, digits, - and _ only'),
  name: z.string().min(1, 'required: give the profile a name').max(100, 'at most 100 characters'),
  /** amqp:// or amqps:// URL; a password in it is moved to the secret store on save. */
  url: z
    .string()
    .max(2048, 'at most 2,048 characters')
    .refine((u) => /^amqps?:\/\/[^\s]+$/i.test(u), 'must be an amqp:// or amqps:// URL'),
  exchange: name.default('payments'),
  exchangeType: z.enum(['topic', 'direct', 'fanout', 'headers'], 'one of topic, direct, fanout, headers').default('topic'),
  bindings: z
    .array(z.string().min(1, 'an empty binding key').max(255, 'at most 255 characters'))
    .max(64, 'at most 64 binding keys')
    .default(['payment.#', 'risk.#']),
  /**
   * The queue to consume. Absent (the default): this console's own queue, unique per
   * installation (payops.console.<host>.<id>). A name shared by several consoles splits the
   * messages between them; the console then says that it competes.
   */
  queue: name.optional(),
  queueType: z.enum(QUEUE_TYPES, 'one of classic, quorum, stream').default('classic'),
  /** x-expires of the queue in hours (0: never). Absent: 24 h for the console's own queue, none for a named one. */
  queueExpiresHours: z
    .number('a number of hours')
    .min(0, '0 or more (0: the queue never expires)')
    .max(8760, 'at most 8,760 hours (a year)')
    .optional(),
  prefetch: z.number('a whole number').int('a whole number').min(1, 'at least 1').max(65535, 'at most 65,535').default(10000),
  watchQueues: z.array(name).max(64, 'at most 64 queues').default([]),
  /**
   * The management HTTP API for rates and node alarms. Absent: the AMQP host, port 15672
   * (15671 for amqps), with the profile's credentials; 'off': passive declare only.
   */
  managementUrl: z
    .string()
    .max(2048, 'at most 2,048 characters')
    .refine((u) => u === 'off' || /^https?:\/\/[^\s@]+$/i.test(u), "an http:// or https:// URL without credentials, or 'off'")
    .optional(),
});

export type BrokerProfile = z.infer<typeof brokerProfileSchema>;

/** What the renderer sees: the URL with its password replaced, plus whether one is stored. */
export type BrokerProfileView = BrokerProfile & { hasPassword: boolean };
