import { describe, expect, it } from 'vitest';
import type { CaptureStatusView, ReplayStatusView } from '../../../shared/replayApi';
import {
  DEFAULT_REPLAY_SPEED,
  REPLAY_SPEEDS,
  captureArgs,
  clampSeek,
  createReplayStore,
  droppedCapturePath,
  fromLocalInput,
  seekInputError,
  looksLikeCapture,
  replayPercent,
  seekStep,
  speedHint,
  speedLabel,
  stopReasonText,
  timeFraction,
  type ReplayClient,
} from './replay';
import { toLocalInput } from '../views/explorer/explorerModel';

const HOUR = 3_600_000;

function status(patch: Partial<ReplayStatusView> = {}): ReplayStatusView {
  return {
    file: '/caps/a.ndjson',
    state: 'running',
    speed: 60,
    position: 1_000,
    from: 0,
    to: 10_000,
    linesRead: 10,
    bytesRead: 100,
    bytesTotal: 1000,
    eventsPerSecond: 5,
    etaMs: 1000,
    error: null,
    line: 10,
    pushed: 10,
    badLines: 0,
    badLineSamples: [],
    skippedGaps: [],
    toExact: false,
    truncated: false,
    seekingTo: null,
    passes: 1,
    passStartLine: 0,
    compressed: false,
    ...patch,
  };
}

/** A fake client: answers from `answers` (a value or a function of the args), records calls. */
function fakeClient(answers: Record<string, unknown>) {
  const calls: [string, unknown][] = [];
  const client: ReplayClient = {
    invoke: (async (name: string, args: unknown) => {
      calls.push([name, args]);
      const a = answers[name];
      if (a === undefined) throw new Error(`the engine has no request "${name}"`);
      if (a instanceof Error) throw a;
      return typeof a === 'function' ? (a as (x: unknown) => unknown)(args) : a;
    }) as ReplayClient['invoke'],
  };
  return { client, calls };
}

describe('replay helpers', () => {
  it('offers x1, x10, x60, x600, x3600 and max, with labels and hints', () => {
    expect(REPLAY_SPEEDS).toEqual([1, 10, 60, 600, 3600, 'max']);
    expect(REPLAY_SPEEDS.map(speedLabel)).toEqual(['×1', '×10', '×60', '×600', '×3600', 'max']);
    expect(speedHint(3600)).toBe('1 h of event time per second');
    expect(speedHint(60)).toBe('1 min of event time per second');
    expect(speedHint(10)).toBe('10 s of event time per second');
    expect(speedHint(1)).toBe('Real time');
    expect(speedHint('max')).toMatch(/fast/);
    expect(DEFAULT_REPLAY_SPEED).toBe(3600);
  });

  it('measures progress by bytes when the size is known, else by event time, 100 when done', () => {
    expect(replayPercent(status({ bytesRead: 250, bytesTotal: 1000 }))).toBe(25);
    expect(replayPercent(status({ bytesTotal: null, position: 7_500, from: 5_000, to: 15_000 }))).toBe(25);
    expect(replayPercent(status({ bytesTotal: 0, position: 5_000, from: 0, to: 10_000 }))).toBe(50);
    expect(replayPercent(status({ bytesTotal: null, from: null, to: null }))).toBeNull();
    expect(replayPercent(status({ state: 'done', bytesRead: 10 }))).toBe(100);
    expect(replayPercent(status({ bytesRead: 2000, bytesTotal: 1000 }))).toBe(100);
    expect(replayPercent(null)).toBeNull();
  });

  it('places a position between from and to, clamped, and handles an empty span', () => {
    expect(timeFraction(5, 0, 10)).toBe(0.5);
    expect(timeFraction(-5, 0, 10)).toBe(0);
    expect(timeFraction(50, 0, 10)).toBe(1);
    expect(timeFraction(10, 10, 10)).toBe(1);
    expect(timeFraction(9, 10, 10)).toBe(0);
    expect(timeFraction(5, null, 10)).toBeNull();
    expect(timeFraction(Number.NaN, 0, 10)).toBeNull();
  });

  it('steps the seek slider in whole seconds, about a thousand steps over the span', () => {
    expect(seekStep(0, 741 * HOUR)).toBe(2_668_000);
    expect(seekStep(0, 10_000)).toBe(1000);
    expect(seekStep(null, null)).toBe(1000);
    expect(seekStep(5, 5)).toBe(1000);
  });

  it('round-trips datetime-local values in local time and rejects invalid ones', () => {
    const ms = new Date(2026, 10, 2, 7, 5, 9).getTime();
    expect(toLocalInput(ms)).toBe('2026-11-02T07:05:09');
    expect(fromLocalInput('2026-11-02T07:05:09')).toBe(ms);
    expect(fromLocalInput('2026-11-02T07:05')).toBe(new Date(2026, 10, 2, 7, 5, 0).getTime());
    expect(fromLocalInput('2026-11-02T07:05:09.5')).toBe(ms + 500);
    expect(fromLocalInput('2026-02-31T00:00')).toBeNull();
    expect(seekInputError({ text: '2026-02-31T00:00' })).toBe('2026-02-31 does not exist: February 2026 has 28 days');
    expect(seekInputError({ text: '2026-11-02T07:05' })).toBeNull();
    expect(seekInputError({ text: '' })).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
  });

  it('keeps seek targets inside the known span', () => {
    expect(clampSeek(50, 100, 200)).toBe(100);
    expect(clampSeek(250, 100, 200)).toBe(200);
    expect(clampSeek(150, 100, 200)).toBe(150);
    expect(clampSeek(250, 100, null)).toBe(250);
  });

  it('turns the recording form into capture.start arguments (MB and minutes) or an error', () => {
    expect(captureArgs({ file: ' /tmp/c.ndjson.gz ', maxMb: '', maxMinutes: '' })).toEqual({ args: { file: '/tmp/c.ndjson.gz' } });
    expect(captureArgs({ file: 'c.jsonl', maxMb: '1.5', maxMinutes: '10' })).toEqual({ args: { file: 'c.jsonl', maxBytes: 1_500_000, maxDurationMs: 600_000 } });
    expect(captureArgs({ file: '', maxMb: '', maxMinutes: '' })).toMatchObject({ error: expect.stringMatching(/path/) });
    expect(captureArgs({ file: 'c.csv', maxMb: '', maxMinutes: '' })).toMatchObject({ error: expect.stringMatching(/\.ndjson or \.jsonl/) });
    expect(captureArgs({ file: 'c.ndjson', maxMb: '-1', maxMinutes: '' })).toMatchObject({ error: expect.stringMatching(/size limit/) });
    expect(captureArgs({ file: 'c.ndjson', maxMb: '', maxMinutes: 'abc' })).toMatchObject({ error: expect.stringMatching(/time limit/) });
    expect(captureArgs({ file: 'c.ndjson', maxMb: '0', maxMinutes: '' })).toMatchObject({ error: expect.any(String) });
  });

  it('recognises capture file names and explains stop reasons', () => {
    expect(['a.ndjson', 'a.JSONL', 'a.ndjson.gz', 'dir/a.jsonl.gz'].every(looksLikeCapture)).toBe(true);
    expect(['a.json', 'a.gz', 'a.csv', 'ndjson'].some(looksLikeCapture)).toBe(false);
    expect(stopReasonText('maxBytes')).toBe('the size limit was reached');
    expect(stopReasonText('maxDuration')).toBe('the time limit was reached');
    expect(stopReasonText('closed')).toBe('stopped by the operator');
    expect(stopReasonText('error')).toBe('a write error');
    expect(stopReasonText('something else')).toBe('something else');
    expect(stopReasonText(null)).toBeNull();
  });

  it('takes a dropped file path from the desktop bridge and explains the browser case', () => {
    const file = { name: 'cap.ndjson' } as File;
    expect(droppedCapturePath([file], { filePath: () => '/home/op/cap.ndjson' })).toEqual({ file: '/home/op/cap.ndjson' });
    expect(droppedCapturePath([file], null)).toMatchObject({ error: expect.stringMatching(/desktop app.*type the path/) });
    expect(droppedCapturePath([file], {})).toMatchObject({ error: expect.stringMatching(/desktop app/) });
    expect(droppedCapturePath([], { filePath: () => '/x' })).toMatchObject({ error: expect.stringMatching(/Drop a capture/) });
    expect(droppedCapturePath([file], { filePath: () => '' })).toMatchObject({ error: expect.stringMatching(/no path/) });
    expect(
      droppedCapturePath([file], {
        filePath: () => {
          throw new Error('not a File');
        },
      }),
    ).toMatchObject({ error: expect.stringMatching(/no path/) });
  });
});

describe('replay store', () => {
  it('opens a capture at the chosen speed, remembers the resolved path and refreshes recent files', async () => {
    const { client, calls } = fakeClient({
      'replay.open': (a: { file: string }) => ({ ok: true, file: `/abs/${a.file}`, dbFile: '/cfg/replays/x.db' }),
      'replay.recent': { files: [{ file: '/abs/c.ndjson', openedAt: 5 }], demoCapture: '/demo/paysim.ndjson.gz' },
      'replay.status': status(),
    });
    const store = createReplayStore(client);
    store.getState().setSpeed('max');
    await expect(store.getState().open('c.ndjson')).resolves.toBe(true);
    expect(calls[0]).toEqual(['replay.open', { file: 'c.ndjson', speed: 'max', startPaused: false }]);
    expect(store.getState().path).toBe('/abs/c.ndjson');
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.map((c) => c[0])).toEqual(['replay.open', 'replay.recent', 'replay.status']);
    expect(store.getState().recent).toEqual([{ file: '/abs/c.ndjson', openedAt: 5 }]);
    expect(store.getState().demoCapture).toBe('/demo/paysim.ndjson.gz');
    expect(store.getState().status?.file).toBe('/caps/a.ndjson');
    expect(store.getState().busy).toBeNull();
  });

  it('opens the typed path, refuses an empty one and shows the engine error', async () => {
    const { client, calls } = fakeClient({ 'replay.open': new Error('no capture file at /nope.ndjson') });
    const store = createReplayStore(client);
    await expect(store.getState().open()).resolves.toBe(false);
    expect(calls).toHaveLength(0);
    expect(store.getState().error).toMatch(/Type the path/);
    store.getState().setPath('  /nope.ndjson ');
    expect(store.getState().error).toBeNull();
    await expect(store.getState().open()).resolves.toBe(false);
    expect(calls[0]).toEqual(['replay.open', { file: '/nope.ndjson', speed: DEFAULT_REPLAY_SPEED, startPaused: false }]);
    expect(store.getState().error).toBe('no capture file at /nope.ndjson');
    store.getState().setStartPaused(true);
    await store.getState().open();
    expect(calls[1]).toEqual(['replay.open', { file: '/nope.ndjson', speed: DEFAULT_REPLAY_SPEED, startPaused: true }]);
    expect(store.getState().busy).toBeNull();
  });

  it('speed buttons set the next speed, and change the running replay only while replaying', async () => {
    const { client, calls } = fakeClient({ 'replay.control': (a: { speed: number }) => status({ speed: a.speed }) });
    const store = createReplayStore(client);
    await store.getState().chooseSpeed(600, false);
    expect(store.getState().speed).toBe(600);
    expect(calls).toHaveLength(0);
    await store.getState().chooseSpeed(10, true);
    expect(calls).toEqual([['replay.control', { action: 'speed', speed: 10 }]]);
    expect(store.getState().status?.speed).toBe(10);
  });

  it('pauses, resumes and seeks through replay.control, one busy action at a time', async () => {
    let release: () => void = () => {};
    const { client, calls } = fakeClient({
      'replay.control': (a: { action: string }) =>
        a.action === 'pause' ? new Promise((r) => (release = () => r(status({ state: 'paused' })))) : status({ state: 'running' }),
    });
    const store = createReplayStore(client);
    const p = store.getState().pause();
    expect(store.getState().busy).toBe('pause');
    release();
    await p;
    expect(store.getState().status?.state).toBe('paused');
    expect(store.getState().busy).toBeNull();
    await store.getState().resume();
    await store.getState().seek('2026-11-05T00:00:00Z');
    expect(calls.map((c) => c[1])).toEqual([{ action: 'pause' }, { action: 'resume' }, { action: 'seek', to: '2026-11-05T00:00:00Z' }]);
  });

  it('reports a failed control and clears the status outside a replay', async () => {
    const { client } = fakeClient({ 'replay.control': new Error('the engine has no request "replay.control"') });
    const store = createReplayStore(client);
    await store.getState().pause();
    expect(store.getState().error).toMatch(/no request/);
    await store.getState().refreshStatus();
    expect(store.getState().status).toBeNull();
  });

  it('goes back to live with replay.close', async () => {
    const { client, calls } = fakeClient({ 'replay.close': { ok: true }, 'replay.status': status() });
    const store = createReplayStore(client);
    await store.getState().refreshStatus();
    expect(store.getState().status).not.toBeNull();
    await expect(store.getState().close()).resolves.toBe(true);
    expect(calls.at(-1)).toEqual(['replay.close', {}]);
    expect(store.getState().status).toBeNull();
  });

  it('opens the file chosen in the native dialog; a cancel does nothing; the web host error becomes a notice', async () => {
    const answers: Record<string, unknown> = {
      'dialog.openCapture': { file: '/data/picked.ndjson.gz' },
      'replay.open': { ok: true, file: '/data/picked.ndjson.gz', dbFile: 'x' },
      'replay.recent': { files: [], demoCapture: null },
      'replay.status': status(),
    };
    const { client, calls } = fakeClient(answers);
    const store = createReplayStore(client);
    await store.getState().chooseFile();
    expect(calls.slice(0, 2)).toEqual([
      ['dialog.openCapture', {}],
      ['replay.open', { file: '/data/picked.ndjson.gz', speed: DEFAULT_REPLAY_SPEED, startPaused: false }],
    ]);
    calls.length = 0;
    answers['dialog.openCapture'] = { file: null };
    await store.getState().chooseFile();
    expect(calls).toEqual([['dialog.openCapture', {}]]);
    answers['dialog.openCapture'] = new Error('dialog.openCapture: not available in the browser: type a path to the capture file');
    await store.getState().chooseFile();
    expect(store.getState().notice).toMatch(/not available in the browser/);
  });

  it('records a capture: validates the form, starts with limits, polls, and keeps what the recording wrote', async () => {
    const rec: CaptureStatusView = { recording: true, file: '/tmp/c.ndjson', lines: 3, bytes: 300 };
    const answers: Record<string, unknown> = {
      'capture.start': rec,
      'capture.status': { ...rec, lines: 7, bytes: 700 },
      'capture.stop': { recording: false, file: '/tmp/c.ndjson', lines: 9, bytes: 900, stoppedBecause: 'closed' },
    };
    const { client, calls } = fakeClient(answers);
    const store = createReplayStore(client, { suggestCaptureFile: () => 'next.ndjson.gz' });
    expect(store.getState().captureForm.file).toBe('next.ndjson.gz');
    store.getState().setCaptureForm({ file: 'c.txt' });
    await store.getState().startCapture();
    expect(store.getState().captureError).toMatch(/\.ndjson or \.jsonl/);
    expect(calls).toHaveLength(0);
    store.getState().setCaptureForm({ file: '/tmp/c.ndjson', maxMb: '2', maxMinutes: '0.5' });
    expect(store.getState().captureError).toBeNull();
    await store.getState().startCapture();
    expect(calls[0]).toEqual(['capture.start', { file: '/tmp/c.ndjson', maxBytes: 2_000_000, maxDurationMs: 30_000 }]);
    expect(store.getState().capture?.recording).toBe(true);
    await store.getState().refreshCapture();
    expect(store.getState().capture?.lines).toBe(7);
    await store.getState().stopCapture();
    expect(store.getState().lastCapture).toEqual({ recording: false, file: '/tmp/c.ndjson', lines: 9, bytes: 900, stoppedBecause: 'closed' });
    expect(store.getState().capture?.recording).toBe(false);
    expect(store.getState().captureForm.file).toBe('next.ndjson.gz');
  });

  it('notices a recording that ended on its own (a limit) and keeps its last figures', async () => {
    const answers: Record<string, unknown> = {
      'capture.start': { recording: true, file: '/tmp/c.ndjson', lines: 0, bytes: 0 },
      'capture.status': { recording: true, file: '/tmp/c.ndjson', lines: 40, bytes: 4000 },
    };
    const { client } = fakeClient(answers);
    const store = createReplayStore(client);
    store.getState().setCaptureForm({ file: '/tmp/c.ndjson', maxMb: '0.004' });
    await store.getState().startCapture();
    await store.getState().refreshCapture();
    answers['capture.status'] = { recording: false, file: '/tmp/c.ndjson', lines: 41, bytes: 4000, stoppedBecause: 'maxBytes' };
    await store.getState().refreshCapture();
    expect(store.getState().lastCapture).toMatchObject({ file: '/tmp/c.ndjson', lines: 41, bytes: 4000, stoppedBecause: 'maxBytes' });
    answers['capture.status'] = { recording: true, file: '/tmp/d.ndjson', lines: 1, bytes: 10 };
    await store.getState().refreshCapture();
    answers['capture.status'] = { recording: false, file: null, lines: 0, bytes: 0 };
    await store.getState().refreshCapture();
    expect(store.getState().lastCapture).toMatchObject({ file: '/tmp/d.ndjson', lines: 1, bytes: 10, stoppedBecause: expect.stringMatching(/limit|session/) });
  });

  it('keeps why a recording failed (disk full), not only that it failed', async () => {
    const answers: Record<string, unknown> = {
      'capture.start': { recording: true, file: '/tmp/e.ndjson', lines: 0, bytes: 0 },
      'capture.status': { recording: true, file: '/tmp/e.ndjson', lines: 40, bytes: 4000 },
    };
    const { client } = fakeClient(answers);
    const store = createReplayStore(client);
    store.getState().setCaptureForm({ file: '/tmp/e.ndjson' });
    await store.getState().startCapture();
    await store.getState().refreshCapture();
    answers['capture.status'] = { recording: false, file: '/tmp/e.ndjson', lines: 40, bytes: 4000, stoppedBecause: 'error', error: '/tmp/e.ndjson: capture write failed (ENOSPC)' };
    await store.getState().refreshCapture();
    expect(store.getState().lastCapture).toMatchObject({ lines: 40, stoppedBecause: 'error', error: '/tmp/e.ndjson: capture write failed (ENOSPC)' });
  });

  it('shows a failed capture start', async () => {
    const { client } = fakeClient({ 'capture.start': new Error('already recording to /tmp/x.ndjson') });
    const store = createReplayStore(client);
    store.getState().setCaptureForm({ file: '/tmp/y.ndjson' });
    await store.getState().startCapture();
    expect(store.getState().captureError).toBe('already recording to /tmp/x.ndjson');
    expect(store.getState().captureBusy).toBe(false);
  });
});
