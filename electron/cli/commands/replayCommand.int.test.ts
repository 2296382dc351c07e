// `payops replay` as an operator runs it (the built CLI: `npx tsc -p tsconfig.json` first),
// against real files and the real broker.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PAYMENT_TYPES, RISK_TYPES } from '../../../shared/events/eventTypes';
import { alertHistoryOrNull, captureLines, dbFigures, writeCapture } from '../../../test/support/replayTestKit';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type PublishItem } from '../../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../../test/support/cli';
import { collectOutput, storedCount } from '../../../test/support/faultKit';
import { waitFor } from '../../../test/support/waitFor';
import { paymentEvent, riskEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';

const dir = tempDir('payops-replay-cli-');
const db = (name: string) => path.join(dir, `${name}.db`);

interface Summary {
  events: number;
  quarantined: number;
  duplicates: number;
  durationMs: number;
  linesRead: number;
  badLines: number;
  badLineSamples: { line: number; error: string }[];
  complete: boolean;
  truncated: boolean;
  error: string | null;
}

describe('payops replay CAPTURE', () => {
  it('replays the PaySim demo capture and prints the summary; stats agree', async () => {
    const demo = path.resolve(__dirname, '../../core/demo/paysim-demo.ndjson.gz');
    const r = await runPayops(['replay', demo, '--db', db('demo'), '--json']);
    expect(r.code).toBe(0);
    const s = lastJson<Summary>(r.stdout);
    expect(s).toMatchObject({ events: 39_509, quarantined: 0, duplicates: 0, linesRead: 39_509, badLines: 0, complete: true });
    expect(s.durationMs).toBeGreaterThan(0);
    const stats = lastJson((await runPayops(['stats', '--db', db('demo'), '--json'])).stdout);
    expect(stats).toMatchObject({ events: 39_509, quarantined: 0, duplicates: 0 });
    // The human form names the file and the figures.
    const again = await runPayops(['replay', demo, '--db', db('demo')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds events.*--overwrite/);
  });

  it('--overwrite replaces what a database holds, and the human form names the file and the figures', async () => {
    // A small capture of its own: the demo's 39,509 lines a second time would only cost CI time.
    const first = writeCapture(path.join(dir, 'over-1.ndjson.gz'), captureLines(300, 5, false, 3), { gzip: true });
    const second = writeCapture(path.join(dir, 'over-2.ndjson.gz'), captureLines(120, 5, false, 4), { gzip: true });
    expect((await runPayops(['replay', first, '--db', db('over')])).code).toBe(0);
    const over = await runPayops(['replay', second, '--db', db('over'), '--overwrite']);
    expect(over.code).toBe(0);
    expect(over.stdout).toMatch(/replayed 120 lines of .*over-2\.ndjson\.gz into .*: 120 events, 0 duplicates, 0 quarantined/);
    expect(lastJson((await runPayops(['stats', '--db', db('over'), '--json'])).stdout)).toMatchObject({ events: 120 });
  });

  it('is deterministic across speeds: --speed max and --speed 600 give identical stats, rollups and alert history', async () => {
    const file = writeCapture(
      path.join(dir, 'det.ndjson.gz'),
      captureLines(6000, 25, true, 11, 'decline-spike', { anomalyStartMs: 200_000, anomalyDurationMs: 100_000 }),
      { gzip: true },
    );
    const a = await runPayops(['replay', file, '--db', db('det-max'), '--json']);
    const b = await runPayops(['replay', file, '--db', db('det-600'), '--speed', '600', '--batch-size', '50', '--json']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const sa = lastJson<Summary & Record<string, unknown>>(a.stdout);
    const sb = lastJson<Summary & Record<string, unknown>>(b.stdout);
    expect(sb.durationMs).toBeGreaterThan(300); // 240 s of event time at x600 is paced (about 0.4 s)
    const strip = ({ durationMs: _d, db: _db, speed: _s, peakRssBytes: _p, cpuMs: _c, ...rest }: Record<string, unknown>) => rest;
    expect(strip(sb)).toEqual(strip(sa));
    expect(dbFigures(db('det-600'))).toEqual(dbFigures(db('det-max')));
    expect(alertHistoryOrNull(db('det-600'))).toEqual(alertHistoryOrNull(db('det-max')));
  });

  it('refuses the live database', async () => {
    const home = path.join(dir, 'home');
    const r = await runPayops(['replay', path.join(dir, 'det.ndjson.gz'), '--db', path.join(home, 'live.db')], { PAYOPS_HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is the live database/);
  });
});

describe('payops replay: corrupt input', () => {
  it('missing, empty and binary files: a clear error, exit 1, no database created', async () => {
    const empty = path.join(dir, 'empty.ndjson');
    fs.writeFileSync(empty, '');
    const blank = path.join(dir, 'blank.ndjson');
    fs.writeFileSync(blank, '\n  \n\n');
    const bin = path.join(dir, 'image.png.ndjson');
    fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const emptyGz = path.join(dir, 'empty.ndjson.gz');
    fs.writeFileSync(emptyGz, gzipSync(''));
    const cases: [string, RegExp][] = [
      [path.join(dir, 'missing.ndjson'), /capture .*missing\.ndjson: line 1: cannot open \(ENOENT\)/],
      [empty, /capture .*empty\.ndjson: line 1: the file is empty/],
      [blank, /capture .*blank\.ndjson: line 3: no events: the capture holds only blank lines/],
      [bin, /capture .*image\.png\.ndjson: line 1: not a text capture \(NUL byte at offset 8\)/],
      [emptyGz, /capture .*empty\.ndjson\.gz: line 1: no events/],
    ];
    for (const [file, re] of cases) {
      const out = db(`bad-${path.basename(file)}`);
      const r = await runPayops(['replay', file, '--db', out, '--json']);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  it('a truncated gzip: replays what it could read, names the line, exits 1 with complete=false', async () => {
    const lines = captureLines(3000, 50, false);
    const gz = gzipSync(lines.join('\n') + '\n');
    const file = path.join(dir, 'cut.ndjson.gz');
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await runPayops(['replay', file, '--db', db('cut'), '--json']);
    expect(r.code).toBe(1);
    const s = lastJson<Summary>(r.stdout);
    expect(s.complete).toBe(false);
    // As replay.status says it: the capture breaks off (not a whole file that failed to open).
    expect(s.truncated).toBe(true);
    expect(s.events).toBeGreaterThan(500);
    expect(s.events).toBeLessThan(3000);
    expect(s.error).toMatch(new RegExp(`cut\\.ndjson\\.gz: line ${s.events + 1}: gzip data ends early after ${s.events} complete lines`));
    expect(r.stderr).toMatch(/capture incomplete: .*gzip data ends early.* were replayed into/);
    const stats = lastJson((await runPayops(['stats', '--db', db('cut'), '--json'])).stdout);
    expect(stats.events).toBe(s.events);
  });

  it('non-JSON lines are quarantined with line numbers; a half-written last line: the capture is truncated, exit 1', async () => {
    const lines = captureLines(50, 10, false);
    lines.splice(2, 0, 'GARBAGE');
    lines.splice(7, 0, '{"specversion":"1.0"'); // broken JSON
    lines.splice(9, 0, Buffer.from([0xc3, 0x28]).toString('latin1')); // not UTF-8
    const file = writeCapture(path.join(dir, 'bad-lines.ndjson'), [...lines, lines[10].slice(0, 60)], { trailingNewline: false });
    // latin1 write so the invalid UTF-8 bytes stay invalid
    fs.writeFileSync(file, Buffer.from([...lines, lines[10].slice(0, 60)].join('\n'), 'latin1'));
    const r = await runPayops(['replay', file, '--db', db('bad-lines'), '--json']);
    expect(r.code).toBe(1);
    const s = lastJson<Summary>(r.stdout);
    // Every complete line is replayed; the cut one is where the file breaks off (as a cut gzip).
    expect(s).toMatchObject({ events: 50, quarantined: 3, badLines: 3, complete: false, truncated: true });
    expect(s.badLineSamples.map((b) => b.line)).toEqual([3, 8, 10]);
    expect(s.error).toMatch(/bad-lines\.ndjson: line 54: the last line has no line end and does not parse: the file is cut mid-line, after 53 complete lines/);
    expect(r.stderr).toMatch(/capture line 3: not JSON/);
    expect(r.stderr).toMatch(/capture line 10: not UTF-8 text/);
    const q = new Database(db('bad-lines'), { readonly: true });
    const rows = q.prepare('SELECT reason, origin FROM quarantine ORDER BY seq').all() as { reason: string; origin: string }[];
    q.close();
    expect(rows.map((x) => x.origin)).toEqual([3, 8, 10].map((n) => `${file}:${n}`));
  });

  it('names the conflicting duplicates (same source and id, another body) in the summary, text and JSON', async () => {
    // The text summary said "N quarantined" only: a producer reusing an id for another payment
    // was not told apart from a malformed message.
    const first = paymentEvent('payment.authorized', { id: 'replay-conflict-1' }, { amount: 500, currency: 'KWD' });
    const other = paymentEvent('payment.declined', { id: 'replay-conflict-2' }, { amount: 0, currency: 'JPY', declineCode: '05' });
    const lines = [first, other, first, { ...first, data: { ...first.data, amount: 5_000 } }, { ...other, data: { ...other.data, declineCode: '51' } }].map((e) => JSON.stringify(e));
    const file = writeCapture(path.join(dir, 'conflicts.ndjson'), [...lines, 'GARBAGE']);
    const text = await runPayops(['replay', file, '--db', db('conflicts-text')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/: 2 events, 1 duplicate, 3 quarantined \(1 unreadable line, 2 conflicting duplicates: same source and id, another body\) in /);
    const json = await runPayops(['replay', file, '--db', db('conflicts-json'), '--json']);
    expect(lastJson(json.stdout)).toMatchObject({ events: 2, duplicates: 1, quarantined: 3, conflictingDuplicates: 2, badLines: 1, complete: true, truncated: false });
    // Without any, the line says so too.
    const clean = await runPayops(['replay', writeCapture(path.join(dir, 'no-conflicts.ndjson'), lines.slice(0, 3)), '--db', db('no-conflicts')]);
    expect(clean.stdout).toMatch(/: 2 events, 1 duplicate, 0 quarantined \(0 unreadable lines, 0 conflicting duplicates/);
  });

  it('bad flags: a clear usage error', async () => {
    const r = await runPayops(['replay', path.join(dir, 'cut.ndjson.gz'), '--db', db('flags'), '--speed', 'fast']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/speed must be 'max' or a number from 0.01 to 1000000/);
    // A speed that would never finish, or one past the timer's resolution, is refused too.
    for (const speed of ['1e-300', '0', '2000000']) {
      const bad = await runPayops(['replay', path.join(dir, 'cut.ndjson.gz'), '--db', db(`flags-${speed}`), '--speed', speed]);
      expect(bad.code, speed).toBe(1);
      expect(bad.stderr).toMatch(/speed must be 'max' or a number from 0.01 to 1000000/);
    }
    // Plain decimals only, as every numeric flag: Number() would read hex, binary and exponents.
    for (const speed of ['0x10', '1e3', '0b11', 'x0x10', '1_000']) {
      const bad = await runPayops(['replay', path.join(dir, 'cut.ndjson.gz'), '--db', db(`flags-${speed}`), '--speed', speed]);
      expect(bad.code, speed).toBe(1);
      expect(bad.stderr, speed).toMatch(/speed must be 'max' or a number from 0.01 to 1000000/);
    }
    const h = await runPayops(['replay', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/truncated or corrupt gzip/);
  });
  it('refuses the --from-stream flags with a file instead of ignoring them', async () => {
    // `--for 5` on a file replayed the whole file and exited 0.
    const capture = path.join(dir, 'stream-flags.ndjson');
    writeCapture(capture, [JSON.stringify(paymentEvent('payment.authorized'))]);
    for (const flags of [['--for', '5'], ['--drain'], ['--stream-offset', 'first'], ['--idle-ms', '10'], ['--prefetch', '10'], ['--connect-retries', '1']]) {
      const r = await runPayops(['replay', capture, '--db', db('stream-flags'), ...flags]);
      expect(r.code, flags.join(' ')).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`${flags[0]} applies to --from-stream only`));
      expect(fs.existsSync(db('stream-flags'))).toBe(false);
    }
  });
});

describe('capture recorded live, then replayed', () => {
  const t = uniqueTopology('replay-live');
  afterAll(() => deleteTopology(t));

  it('gives the same stored events as the live database (ids, counts, amounts, arrival times)', async () => {
    await prepareQueue(t);
    const valid = [
      ...PAYMENT_TYPES.flatMap((type) => [paymentEvent(type), paymentEvent(type), paymentEvent(type)]),
      ...RISK_TYPES.flatMap((type) => [riskEvent(type), riskEvent(type)]),
    ];
    const json = (e: { type: string }): PublishItem => ({ body: JSON.stringify(e), routingKey: e.type });
    const binary = paymentEvent('payment.captured');
    const items: PublishItem[] = [
      ...valid.map(json),
      json(valid[0]), // duplicate
      { body: 'not json at all', routingKey: 'payment.authorized' },
      { body: JSON.stringify({ specversion: '1.0', id: 'u-9', source: 'ops/x', type: 'ops.heartbeat' }), routingKey: 'ops.heartbeat' },
      {
        body: JSON.stringify(binary.data),
        routingKey: 'payment.captured',
        contentType: 'application/json',
        headers: { 'cloudEvents:specversion': '1.0', 'cloudEvents:id': `bin-${binary.id}`, 'cloudEvents:source': binary.source, 'cloudEvents:type': 'payment.captured', 'cloudEvents:time': binary.time },
      },
    ];
    await publishAll(t.exchange, items);
    const capture = path.join(dir, 'live-capture.ndjson.gz');
    const live = await runPayops(['collect', '--amqp', AMQP_URL, '--db', db('live'), '--exchange', t.exchange, '--queue', t.queue,
      '--bind', '#', '--drain', '--capture', capture, '--json']);
    expect(live.code).toBe(0);
    const r = await runPayops(['replay', capture, '--db', db('from-capture'), '--json']);
    expect(r.code).toBe(0);
    const liveFig = dbFigures(db('live'));
    const replayFig = dbFigures(db('from-capture'));
    expect(liveFig.stats.events).toBe(valid.length + 2);
    expect(replayFig.events).toEqual(liveFig.events); // every column: ids, types, amounts, times, arrival, routing key, json
    expect(replayFig.stats).toEqual(liveFig.stats);
    expect(replayFig.rollups).toEqual(liveFig.rollups);
    expect(replayFig.quarantine.map((q) => ({ ...(q as object), origin: null }))).toEqual(liveFig.quarantine);
  });
});

describe('a replay never mixes into a live database', () => {
  const t = uniqueTopology('qa-figures-replay-into-live');
  afterAll(() => deleteTopology(t));

  it('refuses a database a collector is writing, with or without --append / --overwrite; the collector keeps its own events', async () => {
    await prepareQueue(t);
    const capture = writeCapture(path.join(dir, 'into-live.ndjson'), captureLines(50, 25, false, 3));
    const liveDb = path.join(dir, 'collected-live.db');
    const collector = startPayops(['collect', '--amqp', AMQP_URL, '--db', liveDb, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#']);
    const out = collectOutput(collector);
    try {
      await waitFor(() => /collecting from/.test(out.stderr()), () => `the collector to start: ${out.stderr()}`, 20_000);
      for (const extra of [[], ['--append'], ['--overwrite']]) {
        const r = await runPayops(['replay', capture, '--db', liveDb, ...extra]);
        expect(r.code, `replay ${extra.join(' ')}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(/is a live database: .*; a replay needs a session database of its own/);
      }
      expect(fs.existsSync(liveDb)).toBe(true);
      const live = paymentEvent('payment.authorized');
      await publishAll(t.exchange, [{ body: JSON.stringify(live), routingKey: live.type }]);
      await waitFor(() => storedCount(liveDb) === 1, () => `the collector to store its event (stored: ${storedCount(liveDb)})`, 20_000);
    } finally {
      collector.kill('SIGTERM');
      await out.exit;
    }
    // Stopped, it is still the live database: nothing from the capture went in.
    const later = await runPayops(['replay', capture, '--db', liveDb, '--append']);
    expect(later.code).toBe(1);
    expect(dbFigures(liveDb).stats.events).toBe(1);
  });
});
