// Database locked by another process: a second process holds BEGIN EXCLUSIVE on the live
// database for longer than the busy timeout (5 s) while collect runs. Ingest pauses WITHOUT
// acknowledging, says "database locked" in the log, and resumes by itself when the lock goes;
// every event is stored exactly once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology } from '../../test/support/broker';
import { runPayops, startPayops } from '../../test/support/cli';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { asPublishItems, collectOutput, paddedEvents, queueCounts, sleep, storedCount, waitFor } from '../../test/support/faultKit';

const dir = tempDir('payops-locked-');
const t = uniqueTopology('locked');
const t2 = uniqueTopology('locked2');
afterAll(async () => {
  await deleteTopology(t);
  await deleteTopology(t2);
});

// Holds the lock for at most argv[3] ms, or until a line on its stdin says to let go: the test
// releases it once it has checked what it needs the lock held for, instead of waiting it out.
const LOCKER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.exit(0); };
setTimeout(release, Number(process.argv[3]));
process.stdin.once('data', release);
`;

describe('database locked by another process', () => {
  it('pauses without acknowledging, says "database locked", resumes when released; exactly once', async () => {
    const first = paddedEvents(800, 50);
    const second = paddedEvents(1200, 50);
    await prepareQueue(t);
    const db = path.join(dir, 'locked.db');
    const collector = startPayops([
      'collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#',
      '--batch-size', '200', '--flush-ms', '50', '--json',
    ]);
    const out = collectOutput(collector);
    try {
      await publishAll(t.exchange, asPublishItems(first));
      await waitFor(() => storedCount(db) === first.length, 30_000, 'the first events to be stored', 100, () => `stored ${storedCount(db)}\n${out.stderr()}`);

      const locker = spawn(process.execPath, ['-e', LOCKER, require.resolve('better-sqlite3'), db, '30000'], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lockerOut = collectOutput(locker);
      await waitFor(() => lockerOut.stdout().includes('locked'), 10_000, 'the other process to take the lock');
      await publishAll(t.exchange, asPublishItems(second));
      // busy_timeout is 5 s: past it the batch is refused and ingest pauses. Other writers of the
      // engine (the alert history, each second) wait out the same timeout first, so the pause can
      // take 10-15 s to show on a loaded machine: the lock lasts 30 s, so that what follows is
      // checked while it is still held; then the test lets it go.
      await waitFor(() => /database locked/.test(out.stderr()), 28_000, 'collect to say "database locked"', 100, out.stderr);
      expect(out.stderr()).toMatch(/ingest paused, nothing acknowledged: database locked by another process/);
      // Nothing of the second wave is acknowledged while the lock is held: the broker holds it all.
      expect(lockerOut.stdout()).not.toContain('released');
      expect((await queueCounts(t.queue)).messages).toBe(second.length);
      expect(storedIdentities(db).distinct).toBe(first.length);

      locker.stdin!.end('release\n');
      expect(await lockerOut.exit).toBe(0);
      await waitFor(() => storedIdentities(db).distinct === first.length + second.length, 30_000, 'ingest to resume');
      await waitFor(async () => (await queueCounts(t.queue)).messages === 0, 15_000, 'every message acknowledged', 500);
      await waitFor(() => /ingest resumed/.test(out.stderr()), 5_000, 'collect to log that ingest resumed');
      expect(out.stderr()).toMatch(/ingest resumed/);
    } finally {
      collector.kill('SIGTERM');
      await out.exit;
    }
    expect(await out.exit, out.stderr()).toBe(0);
    const stored = storedIdentities(db);
    const all = [...first, ...second];
    expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total: all.length, distinct: all.length });
    for (const e of all) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.source}|${e.id}`);
  }, 120_000);

  it('a stop requested while the lock is held ends promptly, stores nothing it cannot, and the next run stores it all exactly once', async () => {
    const events = paddedEvents(1000, 50);
    await prepareQueue(t2);
    const db = path.join(dir, 'locked-stop.db');
    const base = ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t2.exchange, '--queue', t2.queue, '--bind', '#', '--batch-size', '200', '--flush-ms', '50'];
    const collector = startPayops([...base, '--json']);
    const out = collectOutput(collector);
    await waitFor(() => /collecting from/.test(out.stderr()) && storedCount(db) === 0 && fs.existsSync(db), 20_000, 'collect to start');
    await sleep(500);
    const locker = spawn(process.execPath, ['-e', LOCKER, require.resolve('better-sqlite3'), db, '60000'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lockerOut = collectOutput(locker);
    try {
      await waitFor(() => lockerOut.stdout().includes('locked'), 10_000, 'the other process to take the lock');
      await publishAll(t2.exchange, asPublishItems(events));
      await waitFor(() => /database locked/.test(out.stderr()), 15_000, 'collect to say "database locked"');
      const stopAsked = Date.now();
      collector.kill('SIGTERM');
      const code = await out.exit;
      const stopMs = Date.now() - stopAsked;
      expect(code, out.stderr()).toBe(0);
      // The lock outlives the stop: the stop gives up on the held batch in bounded time.
      expect(stopMs, out.stderr()).toBeLessThan(20_000);
      expect(out.stderr()).toMatch(new RegExp(`stopped with ${events.length} messages not stored \\(database locked.*: not acknowledged, the broker redelivers them`));
      expect((await queueCounts(t2.queue)).messages).toBe(events.length);
    } finally {
      locker.kill('SIGKILL');
      await lockerOut.exit;
    }
    const again = await runPayops([...base, '--drain', '--json'], {}, 60_000);
    expect(again.code, again.stderr).toBe(0);
    const stored = storedIdentities(db);
    expect({ total: stored.total, distinct: stored.distinct }).toEqual({ total: events.length, distinct: events.length });
    for (const e of events) if (!stored.ids.has(`${e.source}|${e.id}`)) throw new Error(`lost ${e.source}|${e.id}`);
  }, 120_000);
});
