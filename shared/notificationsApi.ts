// The API's `notifications` service: the session's notification log, for the alerts view.
import { z } from 'zod';
import type { NotificationLogEntry } from './notifications';

export const notificationsRequestSchemas = {
  'notifications.log': z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
} as const;

export interface NotificationsResults {
  /**
   * Newest first. `routing`: whether this session routes at all (a rules file with contact
   * points). `dropped`: alert notifications the session's evaluator dropped, its queue full,
   * before any routing (EngineSnapshot.notificationsDropped; 0 when none or unknown).
   */
  'notifications.log': { entries: NotificationLogEntry[]; routing: boolean; dropped: number };
}
