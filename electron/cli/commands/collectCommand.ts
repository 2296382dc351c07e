import { countText } from '../../../shared/countText';
import { Option, type Command } from 'commander';
import { EngineHost } from '../../core/host/engineHost';
import { DEFAULT_INGEST_BATCH } from '../../core/ingest/batchWithinCredit';
import type { EngineConfig } from '../../core/engine/engineConfig';
import { openStore } from '../../core/store/store';
import { addBrokerFlags, brokerConfigFrom, positiveInt, positiveIntOrZero, positiveNumber, type BrokerFlags } from '../cliOptions';
import { CliError, fail } from '../cliErrors';
import { logLine } from '../logLine';
import { listingMasker, maskedListing } from '../listingMasking';
import { printResult } from '../terminalText';
import { conflicts } from '../conflictText';
import { loadRulesForCli } from './backtestCommand';
import { redactUrl } from '../../core/redact';
import { formatSeconds } from '../../../shared/format';
import { startCliNotifications } from './cliNotifications';
import { addMetricsPublishFlags, metricsPublishConfigFrom } from '../metricsStreamOptions';
import { checkCaptureTarget } from '../../core/capture/captureWriter';
import { CaptureExistsError, CaptureWriteError } from '../../core/capture/captureErrors';
import { streamDrainTarget, watchStreamDrain } from './streamDrainWatch';

/** `--drain` on a stream queue: the quiet that ends it once the stream's end is stored (replay --from-stream's --idle-ms default). */
const STREAM_DRAIN_IDLE_MS = 1500;

interface CollectFlags extends BrokerFlags {
  db: string;
  for?: number;
  drain?: boolean;
  batchSize: number;
  flushMs: number;
  maxBodyBytes?: number;
  retentionDays?: number;
  rules?: string;
  capture?: string;
  captureAppend?: boolean;
  json?: boolean;
  connectRetries: number;
  durability: 'full' | 'normal';
  maxDbMb?: number;
  publishMetrics?: string;
  metricsMaxAge: string;
  metricsMaxBytes: number;
}

export function registerCollect(program: Command): void {
  const cmd = program
    .command('collect')
    .description('headless ingest: consume the broker into the database until SIGINT/SIGTERM, --for elapses, or --drain empties the queue');
  addBrokerFlags(cmd, true)
    .requiredOption('--db <file>', 'SQLite database file (created if missing)')
    .option('--for <seconds>', 'stop after this many seconds', positiveNumber('--for'))
    .option('--drain', 'stop once the queue is empty and everything is committed and acknowledged (a stream queue: once the end it had at the start is stored and nothing has arrived for 1.5 s)')
    .option('--batch-size <n>', 'commit after this many messages', positiveInt('--batch-size'), DEFAULT_INGEST_BATCH)
    .option('--flush-ms <ms>', 'or after this many milliseconds', positiveInt('--flush-ms'), 100)
    .option('--max-body-bytes <n>', 'quarantine bodies larger than this', positiveInt('--max-body-bytes'))
    .option('--retention-days <n>', 'delete events older than this many days (cut at a ten-minute boundary: up to ten minutes more is kept)', positiveInt('--retention-days'))
    .option('--rules <file>', 'alert rules (YAML or JSON) instead of the default pack')
    .option('--capture <file>', 'also record every message to this capture file (.ndjson, .jsonl, optionally .gz); each batch is written before it is acknowledged. An existing non-empty file is refused')
    .option('--capture-append', 'with --capture: add to the capture file if it already holds a recording (restarting a collector that stopped or crashed)')
    .option('--connect-retries <n>', 'connection attempts at start before giving up (reconnects later retry forever)', positiveIntOrZero('--connect-retries'), 5)
    .addOption(new Option('--durability <mode>', "full: fsync each commit (survives power loss); normal: survives a payops crash, not an OS crash").choices(['full', 'normal']).default('full'))
    .option('--max-db-mb <n>', 'size limit of the database file in MB: past it ingest pauses without acknowledging ("disk full") until restarted with a larger limit', positiveNumber('--max-db-mb'))
    .option('--json', 'print the final summary as JSON');
  addMetricsPublishFlags(cmd)
    .action((flags: CollectFlags) => runCollect(flags).catch(fail));
}

async function runCollect(flags: CollectFlags): Promise<void> {
  if (!flags.amqp) throw new CliError('--amqp <url> is required (or set PAYOPS_AMQP_URL)');
  // A bad rules file is refused before anything is created, naming the rule and field.
  loadRulesForCli(flags.rules);
  // An existing capture is an incident's record: refused before anything is created, unless appended to.
  const appendCapture = await checkCapture(flags);
  const broker = brokerConfigFrom(flags)!;
  const streamDrain = flags.drain === true && broker.queueType === 'stream';
  // Where the stream ends now (a queue collect names; its own is new or resumed), before the engine reads it.
  const drainTo = streamDrain && broker.queue ? await streamDrainTarget(broker.url, broker.queue, flags.db, broker.streamOffset ?? 'next', STREAM_DRAIN_IDLE_MS) : null;
  const config: EngineConfig = {
    dbFile: flags.db,
    session: 'live',
    broker: { ...broker, initialRetries: flags.connectRetries },
    batchSize: flags.batchSize,
    flushMs: flags.flushMs,
    maxBodyBytes: flags.maxBodyBytes,
    retentionDays: flags.retentionDays,
    rulesFile: flags.rules ?? null,
    // A stream is never emptied by reading it: its drain is watched here (streamDrainWatch.ts).
    drain: (flags.drain ?? false) && !streamDrain,
    durability: flags.durability,
    captureFile: flags.capture ?? null,
    captureAppend: appendCapture,
    maxDbBytes: flags.maxDbMb ? Math.floor(flags.maxDbMb * 1024 * 1024) : undefined,
    publishMetrics: metricsPublishConfigFrom(flags),
  };
  const started = Date.now();
  const host = await EngineHost.start(config);
  host.on('log', (line) => logLine(line));
  // Contact points of the rules file: a live collector delivers (issue 14).
  const notifications = startCliNotifications({ dbFile: flags.db, rulesFile: flags.rules ?? null, dryRun: false, live: true });
  if (notifications) host.on('alert', (n) => notifications.hub.observe(n));
  if (notifications) host.on('silence', (c) => notifications.hub.silence(c));
  if (notifications) host.on('snapshot', (s) => notifications.noteDropped(s.notificationsDropped ?? 0));
  logLine(`collecting from ${redactUrl(config.broker!.url)} queue ${config.broker!.queue ?? "(this console's own)"} into ${flags.db}`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logLine(`stopping (${why}): flushing and acknowledging`);
    const timing = await host.services.ingest.timing().catch(() => null);
    // Asked before the engine stops (its stop closes the recording): did the capture stop on its own?
    const captureStatus = flags.capture ? await host.services.capture.status({}).catch(() => null) : null;
    const captureEnded = captureStatus && !captureStatus.recording && captureStatus.stoppedBecause ? captureStatus : null;
    await host.stop();
    await notifications?.stop();
    const store = openStore(flags.db, { readonly: true });
    const stats = store.stats();
    store.close();
    const cpu = process.cpuUsage();
    const summary = {
      ...stats,
      durationMs: Date.now() - started,
      stoppedBecause: why,
      ingest: timing,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      // Only when the capture stopped before the collector (its disk filled up): it is not the whole record.
      ...(captureEnded ? { capture: captureEnded } : {}),
    };
    const captureNote = captureEnded
      ? `; the capture stopped early (${captureEnded.error ?? captureEnded.stoppedBecause}): ${countText(captureEnded.lines, 'line')} in ${captureEnded.file}, the database holds every event`
      : '';
    // Event types are what producers wrote: masked as `stats` and `replay` mask them.
    const shown = maskedListing(summary, listingMasker({}));
    printResult(flags.json, flags.json ? `${JSON.stringify(shown)}\n` : `${formatSummary(shown)}${captureNote}\n`);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  host.on('drained', () => void stop('drained'));
  if (streamDrain) {
    logLine(drainTo === null ? `--drain: stream queue, stops after ${STREAM_DRAIN_IDLE_MS} ms with nothing arriving` : `--drain: stream queue, stops once offset ${drainTo} (the stream's end now) is stored and nothing has arrived for ${STREAM_DRAIN_IDLE_MS} ms`);
    watchStreamDrain(host, { dbFile: flags.db, queue: broker.queue ?? null, drainTo, idleMs: STREAM_DRAIN_IDLE_MS, stopped: () => stopping, drained: () => void stop('drained') });
  }
  host.on('fatal', (message) => fail(new Error(message)));
  if (flags.for) setTimeout(() => void stop(`--for ${flags.for}s`), flags.for * 1000);
}

/** Whether the engine appends to --capture; throws CliError (exit 1) for a capture it must not record to. */
async function checkCapture(flags: CollectFlags): Promise<boolean> {
  if (!flags.capture) {
    if (flags.captureAppend) throw new CliError('--capture-append needs --capture <file>');
    return false;
  }
  try {
    const target = await checkCaptureTarget(flags.capture, flags.captureAppend === true);
    if (target.appending) logLine(`appending to capture ${flags.capture} (${countText(target.sizeBytes, 'byte')} already)`);
    return target.appending;
  } catch (err) {
    if (err instanceof CaptureExistsError) {
      throw new CliError(`--capture ${flags.capture} already holds a recording (${countText(err.sizeBytes, 'byte')}): choose a new file, or pass --capture-append to add to it`);
    }
    if (err instanceof CaptureWriteError) throw new CliError(`--capture ${err.message}`);
    throw err;
  }
}

export function formatSummary(s: { events: number; duplicates: number; quarantined: number; conflictingDuplicates: number; durationMs: number; stoppedBecause: string }): string {
  return (
    `stored ${countText(s.events, 'event')}, ${countText(s.duplicates, 'duplicate')}, ${s.quarantined} quarantined (${conflicts(s.conflictingDuplicates)}) ` +
    `in ${formatSeconds(s.durationMs)}; stopped: ${s.stoppedBecause}`
  );
}
