// Alert and rule requests of the API contract (spread into apiRequestSchemas in api.ts).
import { z } from 'zod';
import type { AlertHistoryRecord, AlertSilence, AlertView } from './alerts';

const key = z.string().min(1).max(400);
const who = z.string().min(1).max(100).default('operator');
const note = z.string().max(5000);

export const alertsRequestSchemas = {
  'alerts.ack': z.object({ key, by: who, note: note.default('') }).strict(),
  'alerts.resolveNote': z.object({ key, by: who, note }).strict(),
  'alerts.silence': z
    .object({
      matchers: z.array(z.object({ label: z.string().min(1).max(100), value: z.string().max(400), op: z.enum(['=', '!=', '=~', '!~']).default('=') }).strict()).min(1).max(20),
      durationMs: z.number().int().min(60_000).max(30 * 86_400_000),
      comment: z.string().max(1000).default(''),
      by: who,
    })
    .strict(),
  'alerts.expireSilence': z.object({ id: z.string().min(1).max(100) }).strict(),
  'alerts.silences': z.object({}).strict(),
  'alerts.history': z
    .object({
      rule: z.string().max(200).optional(),
      severity: z.enum(['critical', 'warning', 'info']).optional(),
      firedOnly: z.boolean().optional(),
      since: z.number().int().optional(),
      until: z.number().int().optional(),
      limit: z.number().int().min(1).max(5000).default(500),
    })
    .strict(),
} as const;

export interface AlertsResults {
  'alerts.ack': { ok: boolean };
  'alerts.resolveNote': { ok: boolean };
  'alerts.silence': AlertSilence;
  'alerts.expireSilence': { ok: boolean };
  'alerts.silences': AlertSilence[];
  'alerts.history': AlertHistoryRecord[];
}

export type { AlertView };
