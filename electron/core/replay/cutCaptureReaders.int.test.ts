// A capture cut mid-line (a plain file copied while being written, the same text gzipped, or a
// gzip cut short) read by `publish` and `backtest` as `replay` reads it: truncated, what came
// before the cut used, and the cut tail not counted as an unreadable line (there is no line:
// the file breaks off inside it).
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestCapture } from '../alerts/backtestSources';
import { DEFAULT_RULES } from '../alerts';
import { planPublish } from './capturePublisher';
import { captureLines } from '../../../test/support/replayTestKit';
import { AMQP_URL, deleteTopology, prepareQueue, uniqueTopology } from '../../../test/support/broker';
import { lastJson, runPayops } from '../../../test/support/cli';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-cut-readers-');
const t = uniqueTopology('cutreaders');
afterAll(() => deleteTopology(t));

const lines = captureLines(40, 10, false);
const lastTime = Date.parse((JSON.parse(lines[39]) as { time: string }).time);
const cutText = `${lines.join('\n')}\n${lines[20].slice(0, 50)}`;
const plainCut = path.join(dir, 'cut.ndjson');
fs.writeFileSync(plainCut, cutText);
const gzipOfCut = path.join(dir, 'cut-content.ndjson.gz');
fs.writeFileSync(gzipOfCut, gzipSync(cutText));
// A gzip stream cut short inside a line: every line before it is complete.
const whole = gzipSync(`${lines.join('\n')}\n`);
const gzipCut = path.join(dir, 'cut.ndjson.gz');
fs.writeFileSync(gzipCut, whole.subarray(0, Math.floor(whole.length * 0.6)));

const cases = [
  { name: 'a plain file cut mid-line', file: plainCut, complete: 40, error: /line 41: the last line has no line end and does not parse: the file is cut mid-line, after 40 complete lines/ },
  { name: 'gzip whose text is cut mid-line', file: gzipOfCut, complete: 40, error: /line 41: the last line has no line end and does not parse/ },
  { name: 'a gzip stream cut short', file: gzipCut, complete: null, error: /gzip data ends early after \d+ complete lines/ },
];

describe('publish and backtest of a cut capture agree with replay', () => {
  for (const c of cases) {
    it(`planPublish, ${c.name}: truncated, no unreadable line, the reason in readError`, async () => {
      const plan = await planPublish({ file: c.file, url: AMQP_URL, exchange: 'some.target' });
      expect(plan.badLines).toBe(0);
      expect(plan.truncated).toBe(true);
      expect(plan.readError).toMatch(c.error);
      if (c.complete !== null) expect(plan.count).toBe(c.complete);
      expect(plan.summary).not.toMatch(/unreadable/);
      expect(plan.summary).toMatch(/the capture ends early/);
    });

    it(`backtestCapture, ${c.name}: truncated, the complete lines only, to at the last event read`, async () => {
      const r = await backtestCapture(c.file, DEFAULT_RULES);
      expect(r.badLines).toBe(0);
      expect(r.truncated).toBe(true);
      expect(r.error).toMatch(c.error);
      expect(r.lines).toBe(r.events);
      if (c.complete !== null) {
        expect(r.lines).toBe(c.complete);
        expect(r.to).toBe(lastTime);
      }
    });
  }

  it('a whole capture is not truncated, and a bad line inside it stays an unreadable line', async () => {
    const file = path.join(dir, 'whole.ndjson');
    fs.writeFileSync(file, `${[...lines.slice(0, 10), 'not json', ...lines.slice(10)].join('\n')}\n`);
    const plan = await planPublish({ file, url: AMQP_URL, exchange: 'some.target' });
    expect(plan).toMatchObject({ truncated: false, readError: null, badLines: 1, count: 40 });
    const r = await backtestCapture(file, DEFAULT_RULES);
    expect(r).toMatchObject({ truncated: false, error: null, badLines: 1, lines: 41, events: 40 });
  });

  it('payops backtest --json over a cut gzip prints what it read, truncated, and exits 1 as replay does', async () => {
    const run = await runPayops(['backtest', gzipCut, '--json']);
    expect(run.code).toBe(1);
    const out = lastJson<{ events: number; to: string; input: { truncated: boolean; error: string; badLines: number } }>(run.stdout);
    expect(out.input.truncated).toBe(true);
    expect(out.input.badLines).toBe(0);
    expect(out.input.error).toMatch(/gzip data ends early/);
    expect(out.events).toBeGreaterThan(10);
    const replay = await runPayops(['replay', gzipCut, '--db', path.join(dir, 'cut.db'), '--json']);
    expect(replay.code).toBe(1);
    const replayed = lastJson<{ events: number; to: string; truncated: boolean }>(replay.stdout);
    expect(replayed.truncated).toBe(true);
    expect(out.events).toBe(replayed.events);
    expect(out.to).toBe(replayed.to);
  });

  it('payops backtest of a plain file cut mid-line says where it breaks off, counts no unreadable line, and exits 1', async () => {
    const text = await runPayops(['backtest', plainCut]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/note: the capture breaks off: .*line 41/);
    expect(text.stdout).not.toMatch(/unreadable/);
  });

  it('payops publish --json of a plain file cut mid-line sends the complete lines, says truncated, and exits 1 as replay does', async () => {
    await prepareQueue(t, ['#']);
    const run = await runPayops(['publish', plainCut, '--amqp', AMQP_URL, '--exchange', t.exchange, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ published: 40, count: 40, badLines: 0, truncated: true, readError: expect.stringMatching(/cut mid-line/) as unknown });
    expect(run.stderr).toMatch(/warning: the capture could not be read to its end/);
    const conn = await amqp.connect(AMQP_URL);
    try {
      const ch = await conn.createChannel();
      expect((await ch.checkQueue(t.queue)).messageCount).toBe(40);
    } finally {
      await conn.close();
    }
  });
});
