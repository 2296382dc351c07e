// Sending dead letters home: each selected message of a dead-letter queue is re-published to
// the exchange and routing key of its first death (x-death), on a confirm channel, at a
// limited rate; only after the broker confirmed the re-publish is it acknowledged (removed)
// on the dead-letter queue. Every step is written to the audit log before the next one, so a
// redrive killed at any point leaves a log that names each message that may be both home
// and still dead-lettered ("publishing" without "confirmed": in doubt), and a later redrive
// removes without re-sending what was confirmed. 'removed' is written only once the broker has
// processed the ack: a round trip on the same channel (basic.qos) after it proves it, as the
// broker handles a channel's frames in order; so a kill between the ack and that proof leaves
// 'confirmed' without 'removed', and the copy, if still there, is removed by the next run. The
// steps name their copy (copyIdOf): a copy sent home and dead-lettered again has new deaths and
// a new redrive mark, so it is another copy, with no steps, and is sent again. The re-publish
// number (x-payops-redrive-publish) places copies in histories written before steps named
// their copy (migration 342), where all copies of an id share the steps.
// A quorum queue with a delivery limit is refused (giving messages back counts as a delivery).
import amqp, { type Channel, type ConfirmChannel, type GetMessage } from 'amqplib';
import { amqpConnect } from './amqpConnect';
import { randomUUID } from 'node:crypto';
import type { DeadLetterMessage, RedriveResult } from '../../../shared/deadLetters';
import { safeErrorMessage } from '../redact';
import { TokenBucket } from '../sim/tokenBucket';
import { brokerRefusal } from './brokerErrors';
import { validateBrokerUrl } from './brokerUrl';
import { assertRequeueSafe, DeliveryLimitRefusal } from './deadLetterDeliveryLimit';
import { describeDeadLetter, earlierRedrives, redriveHeaders, redrivePublishOf } from './deadLetterMessage';
import type { ManagementClient } from './managementClient';

import type { RedriveStep as AuditStep } from '../../../shared/deadLetters';

/** Where the redrive writes its steps (the store's redrive_audit table) and asks what earlier ones did. */
export interface RedriveAuditLog {
  record(row: {
    redriveId: string;
    at: number;
    actor: string;
    messageId: string;
    fromQueue: string;
    toExchange: string | null;
    toRoutingKey: string | null;
    step: AuditStep;
    detail: string | null;
    /** Which copy of the message (`copyIdOf`); absent for a step of the whole redrive. */
    copyId?: string | null;
  }): void;
  /** Every step of a message id from a queue, all copies, oldest first (copyId null: written before copies were told apart). */
  historyOf(fromQueue: string, messageId: string): { redriveId: string; copyId: string | null; step: string }[];
}

export class RedriveRefusedError extends Error {
  override readonly name = 'RedriveRefusedError';
}

export interface RedriveOptions {
  url: string;
  queue: string;
  /**
   * Message ids to send home, one entry per message: an id listed twice sends two messages
   * with that id (a queue may hold several, each its own delivery, as a shovel moves them all);
   * null: every message of the queue (up to maxMessages), unless `copies` selects.
   */
  ids: readonly string[] | null;
  /** Copies to send home (`DeadLetterMessage.copyId`), besides `ids`: each stands for one message. */
  copies?: readonly string[];
  audit: RedriveAuditLog;
  /**
   * The management API, to tell whether the queue is a quorum queue with a delivery limit
   * (refused: a redrive gives back what it does not send). null: refused, the type is unknown.
   */
  management: ManagementClient | null;
  actor: string;
  readOnly: boolean;
  /** Messages per second (the broker and the target's consumers are not flooded). */
  ratePerSecond?: number;
  /** How many messages of the queue are looked at, at most. */
  maxMessages?: number;
  onProgress?: (done: RedriveResult) => void;
}

export type { RedriveResult } from '../../../shared/deadLetters';

export async function redriveDeadLetters(o: RedriveOptions): Promise<RedriveResult> {
  const redriveId = randomUUID();
  const log = (m: { id: string; copyId?: string }, step: AuditStep, to: { exchange: string; routingKey: string } | null, detail: string | null = null) => {
    o.audit.record({
      copyId: m.copyId ?? null,
      redriveId,
      at: Date.now(),
      actor: o.actor,
      messageId: m.id,
      fromQueue: o.queue,
      toExchange: to?.exchange ?? null,
      toRoutingKey: to?.routingKey ?? null,
      step,
      detail,
    });
  };
  if (o.readOnly) {
    log({ id: '*' }, 'refused', null, 'read-only mode');
    throw new RedriveRefusedError('redrive is disabled: payops is in read-only mode (PAYOPS_READ_ONLY or --read-only)');
  }
  validateBrokerUrl(o.url);
  try {
    await assertRequeueSafe(o.management, o.queue, 'redrive');
  } catch (err) {
    if (err instanceof DeliveryLimitRefusal) {
      log({ id: '*' }, 'refused', null, err.deliveryLimit === null ? 'queue type or delivery limit unknown' : `quorum queue with a delivery limit of ${err.deliveryLimit}`);
      throw new RedriveRefusedError(err.message);
    }
    throw err;
  }
  const result: RedriveResult = { redriveId, redriven: 0, removedOnly: 0, skipped: [], failed: [], inDoubt: [], targets: [] };
  const targets = new Map<string, RedriveResult['targets'][number]>();
  // How many messages of each id, and of each copy, are still to be found (an id listed twice: two messages).
  const selects = o.ids !== null || (o.copies?.length ?? 0) > 0;
  const wanted = selects ? new Map<string, number>() : null;
  const wantedCopies = new Map<string, number>();
  for (const id of o.ids ?? []) wanted!.set(id, (wanted!.get(id) ?? 0) + 1);
  for (const copy of o.copies ?? []) wantedCopies.set(copy, (wantedCopies.get(copy) ?? 0) + 1);
  /** Copies an earlier redrive sent home that this one removed: one removal each (identical copies share an identity). */
  const removedHome = new Set<string>();
  const rate = o.ratePerSecond ?? 100;
  const bucket = new TokenBucket(rate, Math.max(1, rate), Date.now());
  let conn: amqp.ChannelModel;
  try {
    // No Nagle: an ack followed by the basic.qos that proves it would otherwise wait for the
    // broker's delayed TCP ack (about 40 ms a message), and so would the confirm of the next
    // publish: the windows a kill leaves a message in doubt, or confirmed but not removed.
    conn = await amqpConnect(o.url, { timeout: 5000, noDelay: true });
  } catch (err) {
    throw brokerRefusal(err, o.url) ?? err;
  }
  conn.on('error', () => undefined);
  const held: GetMessage[] = [];
  let source: Channel | null = null;
  let publisher: ConfirmChannel | null = null;
  try {
    source = await conn.createChannel();
    source.on('error', () => undefined);
    await source.checkQueue(o.queue);
    const max = o.maxMessages ?? 10_000;
    for (let looked = 0; looked < max; looked++) {
      if (wanted && wanted.size === 0 && wantedCopies.size === 0) break;
      const msg = await source.get(o.queue, { noAck: false });
      if (!msg) break;
      const m = describe(msg);
      if (wanted && !takeOne(wantedCopies, m.copyId) && !takeOne(wanted, m.id)) {
        held.push(msg); // not selected: stays (given back at the end)
        continue;
      }
      const headers = (msg.properties.headers as Record<string, unknown> | undefined) ?? null;
      const history = o.audit.historyOf(o.queue, m.id);
      // The history before this redrive: its own steps are another message's (this one is still here).
      const earlier = { ...earlierRedrivesOf(history.filter((s) => s.redriveId !== redriveId), m.copyId, redrivePublishOf(headers)), publishes: history.filter((s) => s.step === 'publishing').length };
      // An earlier re-publish accounts for one message: a second copy of that identity is sent.
      const lineage = m.copyId;
      if (earlier.sentHome && !removedHome.has(lineage)) {
        removedHome.add(lineage);
        // An earlier redrive re-published this very copy and the broker confirmed it: it is
        // home, only its removal is left (that redrive stopped after the confirm, before the
        // round trip that proves the ack and writes 'removed').
        await removeFrom(source, msg);
        log(m, 'removed', m.origin, 'confirmed by an earlier, interrupted redrive: removed without re-sending');
        result.removedOnly++;
        continue;
      }
      if (!m.origin) {
        held.push(msg);
        log(m, 'skipped', null, 'no x-death: the broker did not dead-letter it, its origin is unknown');
        result.skipped.push({ id: m.id, reason: 'no x-death origin' });
        continue;
      }
      if (earlier.inDoubt) result.inDoubt.push(m.id);
      await take(bucket);
      let channel: ConfirmChannel;
      try {
        // Opened before 'publishing' is written: a redrive stopped while opening it sent nothing.
        channel = publisher ??= await confirmChannel(conn);
      } catch (err) {
        held.push(msg);
        const reason = safeErrorMessage(err);
        log(m, 'failed', m.origin, `not sent, left in the dead-letter queue: ${reason}`);
        result.failed.push({ id: m.id, reason });
        continue;
      }
      log(m, 'publishing', m.origin, earlier.inDoubt ? 'in doubt: an earlier redrive stopped before its confirm' : null);
      try {
        await publishConfirmed(channel, m.origin.exchange, m.origin.routingKey, msg, redriveHeaders(headers, redriveId, o.queue, earlier.publishes + 1));
      } catch (err) {
        if (err instanceof OutcomeUnknownError) {
          // Not refused: the broker may hold the copy. Its 'publishing' stays without an outcome
          // (in doubt, see earlierRedrives) and the connection is gone, so the broker gives back
          // every message this redrive held; nothing more can be done on it.
          throw new Error(
            `the connection to the broker was lost during the redrive (${result.redriven} sent home before it): message "${m.id}" may be both home and still in the dead-letter queue; run the redrive again to finish, it will name the message in doubt`,
          );
        }
        publisher = null; // a refused publish (missing exchange) closes the channel
        held.push(msg);
        const reason = safeErrorMessage(err);
        log(m, 'failed', m.origin, `not confirmed, left in the dead-letter queue: ${reason}`);
        result.failed.push({ id: m.id, reason });
        continue;
      }
      log(m, 'confirmed', m.origin);
      await removeFrom(source, msg);
      log(m, 'removed', m.origin);
      result.redriven++;
      const key = `${m.origin.exchange}\u0000${m.origin.routingKey}`;
      const t = targets.get(key) ?? { exchange: m.origin.exchange, routingKey: m.origin.routingKey, count: 0 };
      t.count++;
      targets.set(key, t);
      o.onProgress?.({ ...result, targets: [...targets.values()] });
    }
    for (const msg of held) source.nack(msg, false, true);
    held.length = 0;
    // A channel close waits for the acks and nacks sent on it to be written.
    await source.close();
    source = null;
  } finally {
    await publisher?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    await conn.close().catch(() => undefined);
  }
  result.targets = [...targets.values()];
  return result;
}

/** Counts one off `key`'s wanted messages; false when none is wanted. */
function takeOne(wanted: Map<string, number>, key: string): boolean {
  const left = wanted.get(key);
  if (left === undefined) return false;
  if (left > 1) wanted.set(key, left - 1);
  else wanted.delete(key);
  return true;
}

/**
 * What earlier redrives did to this copy. Steps that name their copy are read for this copy
 * only (another copy of the id is another message); a history with steps written before copies
 * were named is read as it was then: all steps of the id, placed by the copy's re-publish number.
 */
function earlierRedrivesOf(history: readonly { copyId: string | null; step: string }[], copyId: string, copy: number | null) {
  if (history.some((s) => s.copyId === null)) return earlierRedrives(history.map((s) => s.step), copy);
  return earlierRedrives(history.filter((s) => s.copyId === copyId).map((s) => s.step), 0);
}

/**
 * Acknowledges the message on the dead-letter queue and waits until the broker has processed
 * the ack: an ack has no answer, but the broker handles a channel's frames in order, so the
 * answer to a later synchronous method (basic.qos, which changes nothing for basic.get) comes
 * after it. A process killed before then may have lost the ack (still in its socket buffers):
 * the message comes back, and the audit log has no 'removed' for it.
 */
async function removeFrom(source: Channel, msg: GetMessage): Promise<void> {
  source.ack(msg);
  await source.prefetch(0);
}

function describe(msg: GetMessage): DeadLetterMessage {
  return describeDeadLetter({
    body: msg.content,
    headers: (msg.properties.headers as Record<string, unknown> | undefined) ?? null,
    contentType: msg.properties.contentType ?? null,
    messageId: msg.properties.messageId ?? null,
    exchange: msg.fields.exchange,
    routingKey: msg.fields.routingKey,
    contentEncoding: msg.properties.contentEncoding ?? null,
  });
}

/** Why the broker closed a channel (a publish to a missing exchange: NOT_FOUND), to name in the audit log. */
const channelErrors = new WeakMap<ConfirmChannel, string>();

async function confirmChannel(conn: amqp.ChannelModel): Promise<ConfirmChannel> {
  const ch = await conn.createConfirmChannel();
  ch.on('error', (err: Error) => channelErrors.set(ch, err.message));
  return ch;
}

/** A re-publish whose confirm never came because the connection went: the broker may hold it, or not. */
class OutcomeUnknownError extends Error {}

function publishConfirmed(ch: ConfirmChannel, exchange: string, routingKey: string, msg: GetMessage, headers: Record<string, unknown>): Promise<void> {
  const p = msg.properties;
  return new Promise((resolve, reject) => {
    // Told apart once the channel's own error (if any) has been heard: a channel the broker
    // closed (a missing exchange) or a nack is a refusal; a channel closed without either went
    // with its connection, after the publish may have reached the broker.
    const fail = (err: Error | null) =>
      setImmediate(() => {
        if (channelErrors.has(ch)) reject(new Error(`the broker closed the channel: ${channelErrors.get(ch)}`));
        else if (err?.message === 'message nacked') reject(new Error('the broker refused (nack) the re-publish'));
        else reject(new OutcomeUnknownError(`the connection closed before the broker confirmed the re-publish to exchange "${exchange}"`));
      });
    const onClose = () => fail(null);
    ch.once('close', onClose);
    ch.publish(
      exchange,
      routingKey,
      msg.content,
      {
        // The expiration that dead-lettered it is not carried home (it would expire again).
        persistent: p.deliveryMode === 2,
        contentType: p.contentType,
        contentEncoding: p.contentEncoding,
        messageId: p.messageId,
        correlationId: p.correlationId,
        timestamp: p.timestamp,
        type: p.type,
        appId: p.appId,
        headers,
      },
      (err) => {
        ch.removeListener('close', onClose);
        if (err) fail(err instanceof Error ? err : null);
        else resolve();
      },
    );
  });
}

async function take(bucket: TokenBucket): Promise<void> {
  while (bucket.take(Date.now(), 1) < 1) await new Promise((resolve) => setTimeout(resolve, 5));
}
