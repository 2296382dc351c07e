import { countNoun, countText } from '../../../shared/countText';
import fs from 'node:fs';
import path from 'node:path';
import type amqp from 'amqplib';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CaptureReadError } from '../../core/capture/captureErrors';
import { openCaptureReader } from '../../core/capture/captureReader';
import { EngineHost } from '../../core/host/engineHost';
import { startCliNotifications } from './cliNotifications';
import { loadRulesForCli } from './backtestCommand';
import type { EngineConfig } from '../../core/engine/engineConfig';
import { DEFAULT_BROKER } from '../../core/broker/brokerConfig';
import { DEFAULT_INGEST_BATCH } from '../../core/ingest/batchWithinCredit';
import { amqpConnect } from '../../core/broker/amqpConnect';
import { brokerRefusal } from '../../core/broker/brokerErrors';
import { validateBrokerUrl } from '../../core/broker/brokerUrl';
import { parseReplaySpeed, type ReplaySpeed } from '../../core/replay/replaySource';
import { openStore } from '../../core/store/store';
import { redactSecrets, redactUrl } from '../../core/redact';
import { CliError, fail } from '../cliErrors';
import { checkStreamOffset, isoTime, positiveInt, positiveNumber, STREAM_OFFSET_HELP, streamOffsetFlag } from '../cliOptions';
import { defaultLiveDb } from '../defaultPaths';
import { logLine } from '../logLine';
import { listingMasker, maskedListing } from '../listingMasking';
import { printResult } from '../terminalText';
import { conflicts } from '../conflictText';
import { streamDrainTarget, watchStreamDrain } from './streamDrainWatch';
import { leaseHeld } from '../../core/store/writerLease';
import { formatSeconds } from '../../../shared/format';

/** A replay from a file commits in larger transactions than a broker session at max speed: fewer
 * WAL page rewrites (on PaySim, no size from 2,500 to 10,000 was reliably faster, and 1,000 was
 * slower). Not 10,000: a batch's events wait in memory until it commits, and 10,000 of them
 * outlive the engine's young generation and are promoted; PaySim replays peaked at 274-302 MB
 * with 10,000 against 234-246 MB with 5,000, for the same CPU time. */
const FILE_REPLAY_BATCH = 5_000;

interface ReplayFlags {
  db: string;
  speed: ReplaySpeed;
  rules?: string;
  deliver?: boolean;
  json?: boolean;
  overwrite?: boolean;
  append?: boolean;
  /** Unset: 10,000 from a file, the ingest default from a stream. */
  batchSize?: number;
  flushMs?: number;
  maxBodyBytes?: number;
  fromStream?: string;
  /** A capture's event-time slice: from (inclusive) and to (exclusive), epoch ms. */
  from?: number;
  to?: number;
  amqp?: string;
  streamOffset?: string;
  /** The old name of --stream-offset, still accepted (hidden from --help). */
  offset?: string;
  prefetch: number;
  for?: number;
  drain?: boolean;
  idleMs: number;
  connectRetries: number;
}

const HELP_AFTER = `
A capture is read as a stream (.ndjson / .jsonl, optionally .gz) into --db, a session
database of its own (never the live one: a database that collect or serve has collected a
broker's events into is refused, with --append and --overwrite too). Time is EVENT time: the same capture gives the
same events, stats, rollups and alerts at any --speed.

Input problems:
  missing, empty or binary file      error, exit 1, nothing replayed (the database is not created)
  bzip2, xz, zstd, lz4, zip, UTF-16   the same, naming the format and the tool that makes it a
                                      plain (or gzip) UTF-8 capture
  bad lines (not JSON, not UTF-8,     quarantined with their line number ("capture line N: ..."),
  not an object)                      counted as badLines; the replay goes on; exit 0
  truncated or corrupt gzip, a plain  everything before the break is replayed and kept, then
  file cut mid-line                   error naming the line, exit 1 ("complete": false, "truncated": true in --json)
  an event whose source and id are    quarantined, the first copy kept; counted as conflicting
  stored with another body            duplicates in the summary (conflictingDuplicates in --json)

--from / --to replay only a capture's events with from <= event time < to (the rest of the
file is read past, not paced); a line without an event time goes with the lines before it.

From a RabbitMQ stream queue (--from-stream QUEUE --amqp URL --stream-offset ...): the queue
must exist and be a stream; it is consumed from --stream-offset (first, last, next, a number,
an ISO time or @epoch-ms; RabbitMQ starts a time at the first chunk at or after it) until --for
elapses, or with --drain until what the stream held at the start is stored and no message has
arrived for --idle-ms while consuming (from next, from a time or on an empty stream, quiet
alone ends it). Nothing is declared on the broker besides the consumer (no exchange, no
binding).

Exit codes: 0 replayed, 1 input or usage error (or an incomplete capture), 2 broker
unreachable, 3 database unusable, 4 other, 5 broker refused the login, 6 broker refused the
vhost, 130 interrupted.`;

function speedOption(value: string): ReplaySpeed {
  try {
    return parseReplaySpeed(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay a capture file (or a RabbitMQ stream queue) into a session database, paced by event time')
    .argument('[capture]', 'capture file: .ndjson, .jsonl, optionally .gz')
    .requiredOption('--db <file>', 'session database for the replay (never the live one)')
    .option('--speed <max|N>', "event-time speed: 'max' (no pacing) or a multiple such as 1, 10, 60, 600", speedOption, 'max' as ReplaySpeed)
    .option('--rules <file>', 'alert rules (YAML or JSON) instead of the default pack')
    .option('--deliver', "deliver to the rules file's contact points (a replay otherwise only logs \"would_notify\")")
    .option('--json', 'print the summary as JSON (events, quarantined, duplicates, conflictingDuplicates, durationMs, linesRead, badLines, complete, truncated, ...)')
    .option('--overwrite', 'replace --db if it already holds events (never a live database)')
    .option('--append', 'add to --db even if it already holds events (duplicates are counted; never a live database)')
    .option('--batch-size <n>', `commit after this many messages (default ${FILE_REPLAY_BATCH} from a file, ${DEFAULT_INGEST_BATCH} from a stream)`, positiveInt('--batch-size'))
    .option('--flush-ms <ms>', 'or after this many milliseconds (default 1000 at max speed, else 100)', positiveInt('--flush-ms'))
    .option('--max-body-bytes <n>', 'quarantine bodies larger than this', positiveInt('--max-body-bytes'))
    .option('--from <iso>', 'with a capture file: replay only events at or after this event time (ISO 8601; without an offset it is UTC)', isoTime('--from'))
    .option('--to <iso>', 'with a capture file: replay only events before this event time (exclusive)', isoTime('--to'))
    .option('--from-stream <queue>', 'replay from this RabbitMQ stream queue instead of a file')
    .addOption(new Option('--amqp <url>', 'broker URL for --from-stream (or PAYOPS_AMQP_URL)').env('PAYOPS_AMQP_URL'))
    .option('--stream-offset <offset>', `with --from-stream: ${STREAM_OFFSET_HELP} (default: first)`, checkStreamOffset)
    .addOption(new Option('--offset <offset>', 'deprecated name of --stream-offset').hideHelp().argParser(checkStreamOffset))
    .option('--prefetch <n>', 'with --from-stream: unacknowledged messages in flight (a batch commits at half of it at most)', positiveInt('--prefetch'), DEFAULT_BROKER.prefetch)
    .option('--for <seconds>', 'with --from-stream: stop after this many seconds', positiveNumber('--for'))
    .option('--drain', 'with --from-stream: stop once what the stream held at the start is stored and no message has arrived for --idle-ms while consuming')
    .option('--idle-ms <ms>', 'with --from-stream --drain: quiet time that means the end', positiveInt('--idle-ms'), 1500)
    .option('--connect-retries <n>', 'with --from-stream: connection attempts at start', positiveInt('--connect-retries'), 3)
    .addHelpText('after', HELP_AFTER)
    .action((capture: string | undefined, flags: ReplayFlags, command: Command) =>
      Promise.resolve()
        .then(() => {
          if (capture) refuseStreamFlags(command);
          return runReplay(capture, flags);
        })
        .catch(fail),
    );
}

/** The flags that shape a --from-stream replay: given with a file they would be ignored (a file replay ends at its end). */
const STREAM_ONLY_FLAGS = ['for', 'drain', 'streamOffset', 'offset', 'idleMs', 'prefetch', 'connectRetries'];

function refuseStreamFlags(command: Command): void {
  for (const option of command.options) {
    const key = option.attributeName();
    if (STREAM_ONLY_FLAGS.includes(key) && command.getOptionValueSource(key) === 'cli') {
      throw new CliError(`${option.long} applies to --from-stream only: a capture file is replayed to its end`);
    }
  }
}

function prepareDb(flags: ReplayFlags): void {
  const target = path.resolve(flags.db);
  if (target === path.resolve(defaultLiveDb())) {
    throw new CliError(`--db ${flags.db} is the live database: a replay needs a session database of its own`);
  }
  // An empty file (made by mktemp, say) holds no events: the replay creates its database in it.
  if (!fs.existsSync(target) || fs.statSync(target).size === 0) return;
  const { liveSince, holdsEvents } = whatDbHolds(target);
  // Neither --append nor --overwrite: a replay never mixes into (nor deletes) live data, even
  // while the live database is still empty and its collector is running.
  if (liveSince !== null) {
    const since = liveSince === 'unknown' ? '' : ` (since ${liveSince})`;
    throw new CliError(`--db ${flags.db} is a live database: a broker's events are collected into it${since}; a replay needs a session database of its own`);
  }
  if (flags.overwrite) {
    // Another replay into it may be running: never delete a database from under its writer.
    if (leaseHeld(target)) throw new CliError(`--db ${flags.db} is being written by another payops session: --overwrite would delete its database from under it; wait for it to end or choose a new file`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    return;
  }
  if (flags.append) return;
  if (holdsEvents) throw new CliError(`--db ${flags.db} already holds events: choose a new file, or pass --overwrite (replace) or --append`);
}

/** Whether an existing database is a live one, and whether it holds events (a new or foreign file: neither). */
function whatDbHolds(file: string): { liveSince: string | null; holdsEvents: boolean } {
  const store = openStore(file, { readonly: true });
  const ask = <T>(read: () => T, otherwise: T): T => {
    try {
      return read();
    } catch {
      return otherwise; // not migrated yet: it has no such table
    }
  };
  try {
    return { liveSince: ask(() => store.meta.liveSince(), null), holdsEvents: ask(() => store.events.hasAny(), false) };
  } finally {
    store.close();
  }
}

/** Missing, empty or binary captures fail here, before a database is created. */
async function preflight(file: string): Promise<void> {
  try {
    for await (const _record of openCaptureReader(file)) return;
  } catch (err) {
    if (err instanceof CaptureReadError && (err.kind === 'io' || err.kind === 'empty' || err.kind === 'binary')) {
      throw new CliError(`capture ${err.message}`);
    }
    // A gzip that breaks before the first line: the replay reports it with what it could read.
  }
}

async function runReplay(capture: string | undefined, flags: ReplayFlags): Promise<void> {
  // A bad rules file is input: refused (exit 1, naming the rule and field) before --db is created.
  loadRulesForCli(flags.rules);
  if (flags.fromStream) {
    if (capture) throw new CliError('give either a capture file or --from-stream, not both');
    if (flags.from !== undefined || flags.to !== undefined) throw new CliError('--from and --to slice a capture file: a stream replay starts at --stream-offset (an ISO time too)');
    return runStreamReplay(flags.fromStream, flags);
  }
  if (!capture) throw new CliError('a capture file is required (or --from-stream QUEUE)');
  if (flags.from !== undefined && flags.to !== undefined && flags.from >= flags.to) {
    throw new CliError(`--from ${new Date(flags.from).toISOString()} is not before --to ${new Date(flags.to).toISOString()}: the slice holds no event time`);
  }
  if (flags.overwrite && flags.append) throw new CliError('--overwrite and --append exclude each other');
  await preflight(capture);
  prepareDb(flags);
  // The engine worker's young generation: 16 MB keeps a max-speed replay near 240 MB peak RSS
  // at the same CPU cost (64 MB, the live default, measured about 295 MB on 200k events).
  process.env.PAYOPS_YOUNG_GEN_MB ??= '16';
  const started = Date.now();
  const config: EngineConfig = {
    dbFile: flags.db,
    session: 'replay',
    replay: { file: capture, speed: flags.speed, fromMs: flags.from, toMs: flags.to },
    // At max speed large transactions are what makes it fast (fewer WAL page rewrites);
    // paced, the timer keeps the stored data within 100 ms of the replay clock.
    batchSize: flags.batchSize ?? FILE_REPLAY_BATCH,
    flushMs: flags.flushMs ?? (flags.speed === 'max' ? 1000 : 100),
    maxBodyBytes: flags.maxBodyBytes,
    rulesFile: flags.rules ?? null,
  };
  const host = await EngineHost.start(config);
  host.on('log', (line) => logLine(line));
  // Contact points: a replay logs "would_notify" and delivers nothing unless --deliver.
  const notifications = startCliNotifications({ dbFile: flags.db, rulesFile: flags.rules ?? null, dryRun: !flags.deliver, live: false });
  if (notifications) host.on('alert', (n) => notifications.hub.observe(n));
  if (notifications) host.on('silence', (c) => notifications.hub.silence(c));
  if (notifications) host.on('snapshot', (s) => notifications.noteDropped(s.notificationsDropped ?? 0));
  if (!flags.json) logLine(`replaying ${capture}${sliceText(flags)} into ${flags.db} at ${flags.speed === 'max' ? 'max speed' : `x${flags.speed}`}`);

  let finishing = false;
  let lastReport = Date.now();
  host.on('snapshot', (s) => {
    if (flags.json || !s.replay || Date.now() - lastReport < 5000) return;
    lastReport = Date.now();
    const r = s.replay;
    const pct = r.bytesTotal ? ` ${Math.round((100 * r.bytesRead) / r.bytesTotal)}%` : '';
    logLine(`replay${pct}: line ${r.linesRead}, at ${new Date(r.position).toISOString()}, ${r.eventsPerSecond}/s${r.etaMs !== null ? `, ${Math.round(r.etaMs / 1000)} s left` : ''}`);
  });
  const finish = async (why: 'drained' | 'SIGINT' | 'SIGTERM') => {
    if (finishing) return;
    finishing = true;
    const status = await host.services.replay.status({}).catch(() => null);
    await host.stop();
    notifications?.hub.flushPending();
    await notifications?.stop();
    const durationMs = Date.now() - started;
    const store = openStore(flags.db, { readonly: true });
    const stats = store.stats();
    store.close();
    const complete = why === 'drained' && status?.state === 'done';
    const summary = {
      ...stats,
      durationMs,
      capture,
      db: flags.db,
      speed: flags.speed,
      linesRead: status?.linesRead ?? 0,
      badLines: status?.badLines ?? 0,
      badLineSamples: status?.badLineSamples ?? [],
      skippedGaps: status?.skippedGaps ?? [],
      from: status?.from != null ? new Date(status.from).toISOString() : null,
      to: status?.to != null ? new Date(status.to).toISOString() : null,
      slice: flags.from === undefined && flags.to === undefined ? null : { from: flags.from === undefined ? null : new Date(flags.from).toISOString(), to: flags.to === undefined ? null : new Date(flags.to).toISOString() },
      complete,
      // The capture breaks off (replay.status's truncated): what came before the break was replayed.
      truncated: status?.truncated ?? false,
      error: status?.error ?? null,
      stoppedBecause: why,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      // CPU time of the whole process (main thread and engine worker), for benchmarks.
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    };
    for (const b of summary.badLineSamples) logLine(`capture line ${b.line}: ${b.error} (quarantined)`);
    if (summary.badLines > summary.badLineSamples.length) logLine(`... ${countText(summary.badLines - summary.badLineSamples.length, 'more bad line')} quarantined`);
    if (summary.error) logLine(`capture incomplete: ${summary.error}; the ${countText(summary.linesRead, 'line')} before it ${countNoun(summary.linesRead, 'was', 'were')} replayed into ${flags.db}`);
    // A bad line's parse error quotes the line ("Unexpected token ..., "tok 4111..." is not valid JSON"),
    // event types are what producers wrote: the summary is masked as exports mask them (the log lines above are).
    const shown = maskedListing(summary, listingMasker({}));
    printResult(flags.json, flags.json ? `${JSON.stringify(shown)}\n` : `${formatSummary(shown)}\n`);
    process.exit(why !== 'drained' ? 130 : complete ? 0 : 1);
  };
  host.on('drained', () => void finish('drained'));
  host.on('fatal', (message) => fail(new Error(message)));
  process.once('SIGINT', () => void finish('SIGINT'));
  process.once('SIGTERM', () => void finish('SIGTERM'));
}

/** " (event times from A to before B)" for a sliced replay, else nothing. */
function sliceText(flags: Pick<ReplayFlags, 'from' | 'to'>): string {
  if (flags.from === undefined && flags.to === undefined) return '';
  const from = flags.from === undefined ? '' : ` from ${new Date(flags.from).toISOString()}`;
  const to = flags.to === undefined ? '' : ` to before ${new Date(flags.to).toISOString()}`;
  return ` (event times${from}${to})`;
}

export function formatSummary(s: {
  events: number;
  duplicates: number;
  quarantined: number;
  conflictingDuplicates: number;
  badLines: number;
  linesRead: number;
  durationMs: number;
  capture: string;
  db: string;
  complete: boolean;
}): string {
  return (
    `replayed ${countText(s.linesRead, 'line')} of ${s.capture} into ${s.db}: ${countText(s.events, 'event')}, ${countText(s.duplicates, 'duplicate')}, ` +
    `${s.quarantined} quarantined (${countText(s.badLines, 'unreadable line')}, ${conflicts(s.conflictingDuplicates)}) in ${formatSeconds(s.durationMs)}` +
    (s.complete ? '' : ' (INCOMPLETE)')
  );
}

async function checkStreamQueue(url: string, queue: string): Promise<void> {
  let conn: amqp.ChannelModel;
  try {
    conn = await amqpConnect(url, { timeout: 5000 });
  } catch (err) {
    throw brokerRefusal(err, url) ?? new CliError(`cannot reach broker ${redactUrl(url)}: ${redactSecrets((err as Error).message)}`, 2);
  }
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.checkQueue(queue);
  } catch {
    throw new CliError(`no queue "${queue}" on ${redactUrl(url)} (--from-stream needs an existing stream queue)`);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

async function runStreamReplay(queue: string, flags: ReplayFlags): Promise<void> {
  if (!flags.amqp) throw new CliError('--from-stream needs --amqp <url> (or PAYOPS_AMQP_URL)');
  validateBrokerUrl(flags.amqp);
  if (flags.offset !== undefined) logLine('--offset is deprecated: use --stream-offset (the same flag as payops collect)');
  const offsetText = flags.streamOffset ?? flags.offset ?? 'first';
  let offset: ReturnType<typeof streamOffsetFlag>;
  try {
    offset = streamOffsetFlag(offsetText);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  await checkStreamQueue(flags.amqp, queue);
  prepareDb(flags);
  const drainTo = flags.drain ? await streamDrainTarget(flags.amqp, queue, flags.db, offset, flags.idleMs) : null;
  if (flags.drain && !flags.json) {
    logLine(drainTo === null ? `--drain: stops after ${flags.idleMs} ms with nothing arriving` : `--drain: stops once offset ${drainTo} (the stream's end now) is stored and nothing has arrived for ${flags.idleMs} ms`);
  }
  const started = Date.now();
  const config: EngineConfig = {
    dbFile: flags.db,
    session: 'replay',
    broker: {
      url: flags.amqp,
      // Nothing to bind: the stream already holds the history. amq.direct always exists
      // (the default exchange cannot be declared), and no binding keys means no binding.
      exchange: 'amq.direct',
      exchangeType: 'direct',
      bindings: [],
      queue,
      queueType: 'stream',
      // Read as it is: a stream with retention arguments (x-max-age ...) is not declared again.
      existingQueue: true,
      prefetch: flags.prefetch,
      watchQueues: [],
      streamOffset: offset,
      initialRetries: flags.connectRetries,
    },
    batchSize: flags.batchSize ?? DEFAULT_INGEST_BATCH,
    flushMs: flags.flushMs ?? 100,
    maxBodyBytes: flags.maxBodyBytes,
    rulesFile: flags.rules ?? null,
    // A stream never empties (its message count stays 0 on RabbitMQ 3.x): the engine's
    // queue-empty drain does not apply; --drain here means "quiet for --idle-ms".
    drain: false,
  };
  const host = await EngineHost.start(config);
  host.on('log', (line) => logLine(line));
  if (!flags.json) logLine(`replaying stream ${queue} on ${redactUrl(flags.amqp)} from offset ${offsetText} into ${flags.db}`);

  let finishing = false;
  const finish = async (why: string) => {
    if (finishing) return;
    finishing = true;
    // First delivery and last acknowledgement (benchmarks read the ingest rate from them).
    const timing = await host.services.ingest.timing().catch(() => null);
    await host.stop();
    const store = openStore(flags.db, { readonly: true });
    const stats = store.stats();
    store.close();
    const summary = { ...stats, durationMs: Date.now() - started, stream: queue, offset: offsetText, db: flags.db, stoppedBecause: why, ingest: timing };
    printResult(
      flags.json,
      flags.json
        ? `${JSON.stringify(summary)}\n`
        : `replayed stream ${queue} into ${flags.db}: ${countText(stats.events, 'event')}, ${countText(stats.duplicates, 'duplicate')}, ${stats.quarantined} quarantined (${conflicts(stats.conflictingDuplicates)}) in ${formatSeconds(summary.durationMs)}; stopped: ${why}\n`,
    );
    process.exit(why === 'SIGINT' || why === 'SIGTERM' ? 130 : 0);
  };
  if (flags.drain) watchStreamDrain(host, { dbFile: flags.db, queue, drainTo, idleMs: flags.idleMs, stopped: () => finishing, drained: () => void finish('drained') });
  host.on('fatal', (message) => fail(new Error(message)));
  if (flags.for) setTimeout(() => void finish(`--for ${flags.for}s`), flags.for * 1000);
  process.once('SIGINT', () => void finish('SIGINT'));
  process.once('SIGTERM', () => void finish('SIGTERM'));
}
