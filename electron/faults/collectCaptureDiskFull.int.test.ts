// `payops collect --capture FILE` whose capture's disk fills up (a small tmpfs: needs root and
// mount permission, skipped otherwise): the collector goes on storing every event, and its end
// summary says the capture stopped early and how many lines it holds, instead of reading as a
// whole recording; the capture ends at its last whole batch and replays without a bad line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type TestTopology } from '../../test/support/broker';
import { lastJson, runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { asPublishItems, paddedEvents } from '../../test/support/faultKit';
import { openCaptureReader } from '../core/capture/captureReader';

const dir = tempDir('payops-capture-full-');
const topologies: TestTopology[] = [];
const smallFs = path.join(dir, 'smallfs');
fs.mkdirSync(smallFs);

/** Mounts a small tmpfs, or says why it cannot (not root, no mount permission in a container). */
function mountSmallFs(mountPoint: string, size: string): string | null {
  if (process.platform !== 'linux') return `tmpfs mount needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'tmpfs mount needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs not permitted here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
}

const mountRefusal = mountSmallFs(smallFs, '256k');
afterAll(async () => {
  if (mountRefusal === null) execFileSync('umount', ['-l', smallFs], { stdio: 'ignore' });
  for (const t of topologies) await deleteTopology(t);
});

describe('collect --capture on a disk that fills up', () => {
  it.skipIf(mountRefusal !== null)(`stores every event and says in its summary that the capture stopped early${mountRefusal ? ` (skipped: ${mountRefusal})` : ''}`, async () => {
    const t = uniqueTopology('capfull');
    topologies.push(t);
    const events = paddedEvents(3000, 300);
    await prepareQueue(t);
    await publishAll(t.exchange, asPublishItems(events));
    const capture = path.join(smallFs, 'cap.ndjson');
    const db = path.join(dir, 'live.db');
    const args = ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--drain', '--batch-size', '200', '--capture', capture];

    const r = await runPayops([...args, '--json'], {}, 120_000);
    expect(r.code, r.stderr).toBe(0);
    const summary = lastJson<{ events: number; capture?: { file: string; lines: number; stoppedBecause: string; error?: string } }>(r.stdout);
    expect(summary.events).toBe(3000);
    let lines = 0;
    for await (const record of openCaptureReader(capture)) {
      expect('error' in record ? record.error : null).toBeNull();
      lines++;
    }
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThan(3000);
    expect(summary.capture).toEqual({
      file: capture,
      lines,
      bytes: fs.statSync(capture).size,
      recording: false,
      stoppedBecause: 'error',
      error: `${capture}: capture write failed (ENOSPC)`,
    });

    // The text summary says it too, on its last line.
    fs.rmSync(db);
    fs.rmSync(capture);
    await publishAll(t.exchange, asPublishItems(paddedEvents(3000, 300)));
    const text = await runPayops(args, {}, 120_000);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/stored 3000 events, .*; stopped: drained; the capture stopped early \(.*cap\.ndjson: capture write failed \(ENOSPC\)\): \d+ lines? in .*cap\.ndjson, the database holds every event/);
  });
});
