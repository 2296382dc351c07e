// The follower's consuming channel closed by the broker on its own, its connection still open
// (a channel error: the broker closes the channel, not the connection). The follower listened
// only to the connection's close and to a consumer cancel (the stream deleted): it went on
// saying 'following' and received nothing more, for ever. Real broker, real SQLite: the channel
// is closed by the broker, on a passive declare of a missing queue sent on that channel.
import { randomUUID } from 'node:crypto';
import type amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { collectorAndFollower } from '../../../test/support/metricsFollowKit';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { MetricsFollower } from './metricsFollower';

const dir = tempDir('payops-follower-channel-');
const stream = `t.chclosed.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

/** The channels the follower's connection has open (amqplib keeps them by channel number; 0 is the connection's own). */
function openChannels(follower: MetricsFollower): amqp.Channel[] {
  const model = (follower as unknown as { model: amqp.ChannelModel | null }).model;
  const table = (model?.connection as unknown as { channels?: ({ channel: amqp.Channel } | null)[] } | undefined)?.channels ?? [];
  return table.slice(1).filter((c): c is { channel: amqp.Channel } => c !== null && c !== undefined).map((c) => c.channel);
}

describe('a follower whose consuming channel the broker closes', () => {
  it('says so, reconnects and resumes from its stored offset', async () => {
    const { publisher, fstore, follower, logs, commit, close } = collectorAndFollower(dir, stream);
    try {
      for (const n of [2, 3]) commit(n);
      publisher.kick();
      await waitFor(() => publisher.published === 2, 'two messages confirmed');
      await follower.start();
      await waitFor(() => follower.totals.applied === 2, 'follower applied the first two');

      const [consuming] = openChannels(follower);
      consuming.on('error', () => undefined);
      // 404 NOT_FOUND: the broker closes this channel, the connection stays.
      await consuming.checkQueue(`t.chclosed.missing.${randomUUID().slice(0, 8)}`).catch(() => undefined);
      await waitFor(() => logs.some((l) => /the broker closed this follower's channel/.test(l)), () => `the close said (state ${follower.status.state}; log:\n${logs.join('\n')})`, 3000);

      commit(7);
      publisher.kick();
      await waitFor(() => publisher.published === 3, 'third message confirmed');
      await waitFor(() => follower.totals.applied === 3, () => `follower applied the third (state ${follower.status.state}; log:\n${logs.join('\n')})`, 5000);
      expect(follower.status.state).toBe('following');
      expect(logs.find((l) => /closed this follower/.test(l))).toMatch(/^metrics stream \S+: the broker closed this follower's channel \(.*NOT_FOUND.*\); reconnecting$/);
      expect(fstore.stats().byType).toEqual({ 'payment.authorized': 12 });
      expect(logs.filter((l) => /from offset 2$/.test(l))).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
