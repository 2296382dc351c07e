// Test support: the whole CloudEvent text of a decoded event, as payops stored it before
// migration 210 (event_log.json without STORED_MARK), for databases written by older schemas.
import type { NormalizedEvent } from '../../shared/events/eventTypes';
import { restoreEnvelope } from '../../shared/events/storedEnvelope';

export function wholeEventText(e: NormalizedEvent, timeMs: number): string {
  return JSON.stringify(restoreEnvelope(JSON.parse(e.json) as Record<string, unknown>, { ...e, timeMs }));
}
