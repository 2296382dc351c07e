// Test support: the whole CloudEvent text of a decoded event, as payops stored it before
// migration 210 (event_log.json without STORED_MARK), for databases written by older schemas.
import type { NormalizedEvent } from '../../shared/events/eventTypes';
import { restoreEnvelope, withSourceText } from '../../shared/events/storedEnvelope';

export function wholeEventText(e: NormalizedEvent, timeMs: number): string {
  const neverCoded = (code: number): string => { throw new Error(`source code ${code} in a text with its source`); };
  return JSON.stringify(restoreEnvelope(JSON.parse(withSourceText(e.json, e.source)) as Record<string, unknown>, { ...e, timeMs }, neverCoded));
}
