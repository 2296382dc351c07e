// One live session per database (electron/core/store/writerLease.ts): a second collector on the
// same file would consume the console queue beside the first, each judging half the traffic and
// paging every alert twice; a collector beside a replay would mix a broker's events into it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { runPayops, startPayops } from '../../test/support/cli';
import { asPublishItems, collectOutput, paddedEvents, storedCount, waitFor } from '../../test/support/faultKit';
import { captureLines } from '../../test/support/replayTestKit';
import { tempDir } from '../../test/support/tempDir';

const dir = tempDir('payops-lease-cli-');
const t = uniqueTopology('lease');
afterAll(() => deleteTopology(t));

const collectArgs = (db: string) => ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--flush-ms', '50'];

describe('one live session per database', () => {
  it('a second collector on the same file is refused (exit 3) and the first keeps storing; after a kill -9 a new one takes over', async () => {
    await prepareQueue(t);
    const db = path.join(dir, 'live.db');
    const first = startPayops(collectArgs(db));
    const firstOut = collectOutput(first);
    try {
      const wave1 = paddedEvents(300, 20);
      await publishAll(t.exchange, asPublishItems(wave1));
      await waitFor(() => storedCount(db) === wave1.length, 30_000, 'the first collector to store the first wave', 100, firstOut.stderr);

      const second = await runPayops(collectArgs(db));
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toMatch(/cannot use database .*live\.db: another payops session is writing it/);

      const wave2 = paddedEvents(300, 20);
      await publishAll(t.exchange, asPublishItems(wave2));
      await waitFor(() => storedCount(db) === wave1.length + wave2.length, 30_000, 'the first collector to store the second wave', 100, firstOut.stderr);
    } finally {
      first.kill('SIGKILL');
      await firstOut.exit;
    }
    const wave3 = paddedEvents(200, 20);
    await publishAll(t.exchange, asPublishItems(wave3));
    const next = startPayops([...collectArgs(db), '--drain']);
    const nextOut = collectOutput(next);
    expect(await nextOut.exit, nextOut.stderr()).toBe(0);
    expect(storedCount(db)).toBe(800);
  }, 120_000);

  it('a collector beside a replay into the same file is refused, and so is a second replay\'s --overwrite', async () => {
    // Two events an hour of event time apart: at --speed 1 the replay holds its database for an hour.
    const lines = captureLines(2, 1 / 3600, false);
    const capture = path.join(dir, 'slow.ndjson');
    fs.writeFileSync(capture, lines.join('\n') + '\n');
    const db = path.join(dir, 'session.db');
    const replay = startPayops(['replay', capture, '--db', db, '--speed', '1']);
    const replayOut = collectOutput(replay);
    try {
      await waitFor(() => storedCount(db) === 1, 30_000, 'the replay to store its first event', 100, replayOut.stderr);
      const collector = await runPayops(collectArgs(db));
      expect(collector.code, collector.stderr).toBe(3);
      expect(collector.stderr).toMatch(/another payops session is writing it/);
      const overwrite = await runPayops(['replay', capture, '--db', db, '--overwrite']);
      expect(overwrite.code, overwrite.stderr).not.toBe(0);
      expect(overwrite.stderr).toMatch(/is being written by another payops session: --overwrite would delete its database/);
      expect(storedCount(db)).toBe(1);
    } finally {
      replay.kill('SIGTERM');
      await replayOut.exit;
    }
  }, 120_000);
});
