// `payops collect --capture FILE --drain` SIGKILLed while draining a backlog: every message the
// broker no longer holds (acknowledged) must be in the capture file (plain text: at most one
// cut-off last line; .gz: complete gzip members, but for a last one cut by a kill during its
// write, whose batch was not acknowledged). Then the same command line without
// --capture-append is refused (exit 1, the file named and left as it was), and with
// --capture-append the restarted collector drains the rest (into a new file when a .gz
// capture's last member was cut: append refuses it): the captures then hold every message,
// the database every event exactly once.
import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type TestTopology } from '../../test/support/broker';
import { runPayops, startPayops } from '../../test/support/cli';
import { storedIdentities } from '../../test/support/storedIds';
import { tempDir } from '../../test/support/tempDir';
import { asPublishItems, collectOutput, paddedEvents, queueCounts, queueCountsNow, sleep, waitFor } from '../../test/support/faultKit';
import { mulberry32 } from '../core/sim/prng';
import { CaptureReadError } from '../core/capture/captureErrors';
import { openCaptureReader } from '../core/capture/captureReader';

const dir = tempDir('payops-killcapture-');
const topologies: TestTopology[] = [];
afterAll(async () => {
  for (const t of topologies) await deleteTopology(t);
});

/**
 * source|id of every readable line of the capture, the lines that could not be read, and
 * whether a .gz capture ends in a cut gzip member (a kill while its batch was being written).
 */
async function captured(file: string): Promise<{ ids: Set<string>; lines: number; bad: string[]; cut: boolean }> {
  const ids = new Set<string>();
  const bad: string[] = [];
  let lines = 0;
  try {
    for await (const r of openCaptureReader(file)) {
      lines++;
      if ('error' in r) {
        bad.push(`line ${r.line}: ${r.error}`);
        continue;
      }
      const e = JSON.parse(Buffer.from(r.raw.body).toString()) as { source: string; id: string };
      ids.add(`${e.source}|${e.id}`);
    }
  } catch (err) {
    if (!(err instanceof CaptureReadError && err.kind === 'truncated-gzip')) throw err;
    return { ids, lines, bad, cut: true };
  }
  return { ids, lines, bad, cut: false };
}

/** The messages the queue still holds (source|id), taken off it. */
async function remaining(queue: string): Promise<Set<string>> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const ids = new Set<string>();
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) return ids;
      const e = JSON.parse(m.content.toString()) as { source: string; id: string };
      ids.add(`${e.source}|${e.id}`);
    }
  } finally {
    await conn.close();
  }
}

describe('collect --capture killed with SIGKILL while draining', () => {
  for (const ext of ['ndjson', 'ndjson.gz']) {
    it(`.${ext}: every acknowledged message is in the capture; a restart refuses it without --capture-append and completes it with`, async () => {
      const seed = Number(process.env.PAYOPS_KILL_SEED ?? Date.now() % 100000);
      const random = mulberry32(seed);
      const total = process.env.PAYOPS_LONG ? 100_000 : 20_000;
      const t = uniqueTopology('killcap');
      topologies.push(t);
      const events = paddedEvents(total, 100);
      const all = new Set(events.map((e) => `${e.source}|${e.id}`));
      await prepareQueue(t);
      await publishAll(t.exchange, asPublishItems(events));
      const db = path.join(dir, `${t.queue}.db`);
      const capture = path.join(dir, `${t.queue}.${ext}`);
      // Small batches and the default durability: many commits and acknowledgements before the kill.
      const args = ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--drain', '--batch-size', '500', '--flush-ms', '20', '--capture', capture];

      const child = startPayops(args);
      const out = collectOutput(child);
      // Kill mid-drain: once some batches are acknowledged, at a random moment after that. The
      // trigger reads the queue once per poll (queueCounts waits up to a second for a moving
      // queue to settle, and a fast collector drained the rest of 20,000 in that time).
      await waitFor(async () => (await queueCountsNow(t.queue)).messages < total - 1000 || child.exitCode !== null, 60_000, 'the collector to acknowledge batches', 20, out.stderr);
      await sleep(random() * 200);
      child.kill('SIGKILL');
      await out.exit;
      expect(child.signalCode, `the collector ended before its kill: ${out.stderr()}`).toBe('SIGKILL');
      // The dead connection's unacknowledged messages go back to the queue.
      await waitFor(async () => (await queueCounts(t.queue)).unacked === 0, 30_000, 'the broker to requeue the unacknowledged', 200);

      const held = (await queueCounts(t.queue)).messages;
      const acknowledged = total - held;
      expect(acknowledged, `seed ${seed}`).toBeGreaterThan(0);
      expect(held, `the kill landed after the drain (seed ${seed})`).toBeGreaterThan(0);
      const afterKill = await captured(capture);
      // At most one line cut off by the kill (plain text); for .gz whole members, but for the
      // last when the kill landed while its batch was being written (not acknowledged yet).
      expect(afterKill.bad.length, afterKill.bad.join('\n')).toBeLessThanOrEqual(ext.endsWith('.gz') ? 0 : 1);
      if (!ext.endsWith('.gz')) expect(afterKill.cut).toBe(false);

      // The refused restart: same command line, the capture untouched, the file named, exit 1.
      const sizeBefore = fs.statSync(capture).size;
      const refused = await runPayops(args);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain(`--capture ${capture} already holds a recording`);
      expect(refused.stderr).toContain('--capture-append');
      expect(fs.statSync(capture).size).toBe(sizeBefore);
      expect((await queueCounts(t.queue)).messages).toBe(held);

      // Every message the broker no longer holds is in the capture (and stored).
      const stillHeld = await remaining(t.queue);
      expect(stillHeld.size).toBe(held);
      const stored = storedIdentities(db).ids;
      const lostFromCapture: string[] = [];
      for (const id of all) {
        if (stillHeld.has(id)) continue;
        expect(stored.has(id), `acknowledged but not stored: ${id}`).toBe(true);
        if (!afterKill.ids.has(id)) lostFromCapture.push(id);
      }
      expect({ seed, acknowledged, capturedLines: afterKill.lines, lostFromCapture: lostFromCapture.length }).toEqual({
        seed,
        acknowledged,
        capturedLines: afterKill.lines,
        lostFromCapture: 0,
      });

      // Put the rest back and restart with --capture-append: the capture completes. A .gz capture
      // whose last member was cut cannot take more members (they could never be read): append
      // is refused, naming why, and the rest goes to a new capture.
      await publishAll(t.exchange, asPublishItems(events.filter((e) => stillHeld.has(`${e.source}|${e.id}`))));
      let rest = capture;
      if (afterKill.cut) {
        const refusedCut = await runPayops([...args, '--capture-append']);
        expect(refusedCut.code, refusedCut.stderr).toBe(1);
        expect(refusedCut.stderr).toMatch(/cannot append to it: .*gzip data ends early/);
        rest = path.join(dir, `${t.queue}.rest.${ext}`);
      }
      const resumed = await runPayops([...args.slice(0, -1), rest, ...(rest === capture ? ['--capture-append'] : []), '--json'], {}, 120_000);
      expect(resumed.code, resumed.stderr).toBe(0);
      if (rest === capture) expect(resumed.stderr).toMatch(/appending to capture/);
      const final = await captured(capture);
      const second = rest === capture ? final : await captured(rest);
      for (const id of all) if (!final.ids.has(id) && !second.ids.has(id)) throw new Error(`not in the captures after the restart: ${id} (seed ${seed})`);
      const ids = storedIdentities(db);
      expect({ total: ids.total, distinct: ids.distinct }).toEqual({ total, distinct: total });
    }, 180_000);
  }
});
