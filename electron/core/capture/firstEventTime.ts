import { decodeMessage } from '../../../shared/events/decode';
import { openCaptureReader, type CaptureReaderOptions } from './captureReader';

/**
 * The event time of a capture's first timed line, or null when none has one (or the file cannot
 * be read: its reader says why). Lines before it that have neither an event time nor a recorded
 * arrival are placed there, by a replay and a capture backtest alike (else they would be placed
 * in 1970). Usually the first line, so this reads one line.
 */
export async function firstEventTime(path: string, options: CaptureReaderOptions & { maxBodyBytes?: number } = {}): Promise<number | null> {
  try {
    for await (const record of openCaptureReader(path, { endByte: options.endByte })) {
      if ('error' in record) continue;
      const d = decodeMessage(record.raw, { maxBodyBytes: options.maxBodyBytes });
      if (d.ok && d.event.timeMs !== null) return d.event.timeMs;
    }
  } catch {
    // The caller's own read reports file problems.
  }
  return null;
}
