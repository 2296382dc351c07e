// A capture replayed while `collect --capture` still writes it: the replay reads what the file
// held when it started (every pass, a backward seek's too), so the same replay gives the same
// result however far the collector has got, and the log says that the file grew meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeEngine, type EngineSession } from '../engine/composeEngine';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines } from '../../../test/support/replayTestKit';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-growing-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

describe('a capture that grows while it is replayed', () => {
  it('replays what the file held when the replay started, and says the file grew', async () => {
    // Larger than one read of the file (64 KiB): lines appended later lie beyond what was read.
    const lines = captureLines(3000, 50, false);
    const file = path.join(dir, 'growing.ndjson');
    fs.writeFileSync(file, lines.slice(0, 2000).join('\n') + '\n');
    const sizeAtStart = fs.statSync(file).size;
    expect(sizeAtStart).toBeGreaterThan(4 * 65_536);
    const logs: string[] = [];
    let drained = false;
    const session = composeEngine(
      { dbFile: path.join(dir, 'growing.db'), session: 'replay', replay: { file, speed: 'max', startPaused: true } },
      { snapshot: () => undefined, log: (l) => logs.push(l), drained: () => (drained = true) },
    );
    running.push(session);
    await session.start();
    await waitFor(async () => (await session.services.replay.status({})).line > 0, 'the first line read');
    // The collector goes on writing: 1000 more lines, and half of the next one.
    fs.appendFileSync(file, lines.slice(2000).join('\n') + '\n' + lines[0].slice(0, 80));
    await session.services.replay.control({ action: 'resume' });
    await waitFor(() => drained, 'the end of the replay');

    const status = await session.services.replay.status({});
    expect(status).toMatchObject({ state: 'done', truncated: false, badLines: 0, pushed: 2000, error: null, bytesTotal: sizeAtStart });
    expect(session.engine.snapshot().totals.events).toBe(2000);
    // A backward seek reads the file again: the same bytes, nothing of what came after.
    await session.services.replay.control({ action: 'seek', to: status.from! });
    await waitFor(async () => (await session.services.replay.status({})).passes === 2 && (await session.services.replay.status({})).state === 'done', 'the second pass to end');
    expect(await session.services.replay.status({})).toMatchObject({ state: 'done', truncated: false, pushed: 2000, line: 2000 });
    expect(logs.filter((l) => l.includes('grew'))).toEqual([
      `${file}: the capture grew while it was replayed (${sizeAtStart} bytes at the start, ${fs.statSync(file).size} at the end): the replay holds what it held at the start; replay it again for the rest`,
    ]);
  });
});
