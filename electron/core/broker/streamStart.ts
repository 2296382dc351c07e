// Thread: the consumer thread (on the consumer's connection, before it consumes).
// Where a stream consumer asked for a numeric offset starts. RabbitMQ attaches a consumer asked
// for an offset past the stream's end at that very offset and skips, in silence, every message
// that arrives before it (3.10.8: attached at 20 on a stream ending at 4, offsets 5..19 never
// came). Kafka resets such an offset (auto.offset.reset) instead. Two ways payops gets there:
// - it resumes at the offset stored in its database, and the stream was deleted and created
//   again under its name since (its offsets start again at 0). Whether it is still the stream
//   that was read shows at the stored place: the stream ends before it, or the message there
//   is not the one stored (a digest of the newest stored message is kept with the offset: of
//   its event identity, source and id, or of its body when it was quarantined; the engine
//   keeps no body of a valid event).
//   The new stream is read from its first offset: events are stored once by (source, id), so
//   what was stored already is counted as a duplicate, never twice.
// - the operator asks for `--stream-offset N` past the end: reading starts at the next message
//   to arrive (the end), and the log says so.
import { createHash } from 'node:crypto';
import type { ChannelModel } from 'amqplib';
import { decodeMessage } from '../../../shared/events/decode';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import { newestStreamOffset, peekStream, type PeekedMessage } from './streamPeek';

/** What the database holds of its place in a stream (streamResume.ts). */
export interface StreamResumeMark {
  /** The offset after the newest message stored. */
  next: number;
  /** messageDigest of that newest message, or null (stored by an older payops). */
  lastMessageDigest: string | null;
}

const sha = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** A short digest of a message, to recognise the message at a stored offset: its event identity, or its body. */
export function messageDigest(raw: RawMessage, result: DecodeResult): string {
  return result.ok ? `event:${sha(`${result.event.source}\0${result.event.id}`)}` : `body:${sha(raw.body)}`;
}

/** The digests a message read from the stream may have been stored under (the body's, whatever the decode). */
function digestsOf(msg: PeekedMessage): string[] {
  const raw: RawMessage = { body: msg.message.content, headers: msg.message.properties.headers ?? null, contentType: msg.message.properties.contentType ?? null, routingKey: msg.message.fields.routingKey, arrivalMs: 0 };
  const decoded = decodeMessage(raw);
  return decoded.ok ? [messageDigest(raw, decoded), `body:${sha(raw.body)}`] : [messageDigest(raw, decoded)];
}

/**
 * The offset (or 'first') to attach a consumer of stream `queue` at, given the numeric offset
 * it was asked for and whether that offset is the database's stored place (`resumed`).
 */
export async function streamStartOffset(
  conn: ChannelModel,
  queue: string,
  asked: number,
  resumed: StreamResumeMark | null,
  log: (line: string) => void,
): Promise<number | 'first'> {
  const end = await newestStreamOffset(conn, queue);
  const endText = end === null ? 'it is empty' : `its last offset is ${end}`;
  if (resumed && resumed.next > 0) {
    const storedLast = resumed.next - 1;
    let mismatch: string | null = null;
    if (end === null || end < storedLast) {
      mismatch = `the database stored its messages up to offset ${storedLast}, but ${endText}`;
    } else if (resumed.lastMessageDigest !== null) {
      const [at] = await peekStream(conn, queue, storedLast, 1);
      // A later offset means retention removed the stored one: the same stream (streamResume.ts says what was lost).
      if (at && at.offset === storedLast && !digestsOf(at).includes(resumed.lastMessageDigest)) {
        mismatch = `the message at offset ${storedLast} is not the one the database stored there`;
      }
    }
    if (mismatch) {
      log(
        `stream ${queue} is not the stream this database read: ${mismatch}, so it was deleted and created again under its name. ` +
          `Reading it from its first offset; events already stored count once (by source and id), the rest are stored`,
      );
      return 'first';
    }
    return asked;
  }
  if (end === null ? asked > 0 : asked > end + 1) {
    const from = end === null ? 0 : end + 1;
    log(
      `--stream-offset ${asked} is past the end of stream ${queue} (${endText}): reading from offset ${from}, the next message to arrive ` +
        `(RabbitMQ would skip every message before offset ${asked})`,
    );
    return from;
  }
  return asked;
}
