import type { KnownType } from '../../../shared/events/eventTypes';

/** A CloudEvents 1.0 event in structured JSON form, as the simulator publishes it (EVENTS.md). */
export interface CloudEventObject {
  specversion: '1.0';
  id: string;
  source: string;
  type: KnownType;
  /** RFC 3339 with milliseconds, UTC. */
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

export function makeCloudEvent(
  id: string,
  source: string,
  type: KnownType,
  timeMs: number,
  subject: string,
  data: Record<string, unknown>,
): CloudEventObject {
  // Fixed attribute order so that JSON.stringify is byte-identical for identical input.
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time: new Date(Math.round(timeMs)).toISOString(),
    subject,
    datacontenttype: 'application/json',
    data,
  };
}
