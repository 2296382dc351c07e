// The composition root of an engine session: it opens the store, makes each part, gives the
// ingest core what it needs, wires the other parts to its events and collects the services the
// worker serves. Parts never register themselves on the engine or call back into it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiParsedArgs } from '../../../shared/api';
import { AlertingSession } from '../alerts/alertingSession';
import { AlertsService } from '../alerts/alertsService';
import { BatchAlertOrder } from '../alerts/batchAlertOrder';
import { DEFAULT_RULES } from '../alerts/defaultRules';
import { loadRoutingFile, loadRulesFile } from '../alerts/loadRulesFile';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { BurnRateHistory } from '../alerts/burnRateHistory';
import { BurnRateSession } from '../alerts/burnRateSession';
import { LiveClock } from '../alerts/liveClock';
import { RulesService } from '../alerts/rulesService';
import { newConsoleId, resolveConsoleQueue } from '../broker/consoleQueue';
import { DeadLetterService } from '../deadLetters/deadLetterService';
import { isReadOnlyEnv } from '../replay/capturePublisher';
import { CaptureRecorder } from '../capture/captureRecorder';
import { LiveMetrics } from '../metrics/liveMetrics';
import { FollowedAlertsService } from '../metricsStream/followedAlerts';
import { wireFollower } from '../metricsStream/wireFollower';
import { wireMetricsPublisher } from '../metricsStream/wireMetricsPublisher';
import { databaseSetupError, openStore, type Store } from '../store/store';
import { takeWriterLease } from '../store/writerLease';
import { Engine, type EngineEmitter } from './engine';
import type { EngineConfig } from './engineConfig';
import type { EngineServices } from './engineServices';
import { readMetricsHistory } from './metricsHistory';
import { bulkIndexPolicy } from './bulkIndexPolicy';
import { createSessionSource } from './sessionSource';
import { resumeStream } from './streamResume';

export interface EngineSession {
  readonly engine: Engine;
  readonly alerting: AlertingSession;
  readonly services: EngineServices;
  /** Starts ingest: the broker (live), the simulator (demo) or the capture (replay). */
  start(): Promise<void>;
  /** Flushes and acknowledges what is in hand, ends evaluation and closes the database. */
  stop(): Promise<void>;
}

export function composeEngine(config: EngineConfig, emit: EngineEmitter): EngineSession {
  // One live session per database, never beside a replay into it (writerLease.ts); taken
  // before the file is opened, so a session refused changes nothing in it.
  const lease = takeWriterLease(config.dbFile, config.session === 'replay' ? 'shared' : 'exclusive');
  let store: Store;
  try {
    if (config.freshDb) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(config.dbFile + suffix, { force: true });
    store = openStore(config.dbFile, {
      durability: config.durability ?? (config.session === 'live' ? 'full' : 'normal'),
      maxBytes: config.maxDbBytes,
    });
  } catch (err) {
    lease.release();
    throw err;
  }
  try {
    // Marked before anything arrives, so a replay refuses this database even while it is
    // empty and a collector is writing it (a replay never mixes into the live database).
    if (config.session === 'live' && (config.broker || config.follow)) store.meta.getOrCreate('live_since', () => new Date().toISOString());
    const indexes = bulkIndexPolicy(store, config.session === 'replay', emit);
    const metrics = new LiveMetrics();
    const capture = new CaptureRecorder(emit.log);
    // A batch's capture lines are written (one synchronous write, to the kernel) in its
    // transaction, so before it is acknowledged: a kill -9 never leaves an acknowledged
    // message out of the capture.
    store.ingest.also(() => capture.flush());
    if (config.captureFile) capture.start({ file: config.captureFile }, { append: config.captureAppend === true });
    // The console's own queue unless one is named: payops.console.<host>.<id of this database>.
    const broker = resumeStream(store, config.broker && resolveConsoleQueue(config.broker, os.hostname(), () => store.meta.getOrCreate('console_id', newConsoleId)), emit.log);
    const engine = new Engine(config, { store, metrics, stored: store.stats(), tap: (raw, result) => capture.tap(raw, result), broker }, indexes.emitter);
    const alertOrder = new BatchAlertOrder(
      (n) => emit.alert?.(n),
      (c) => emit.silence?.(c),
    );
    // One clock for the rule evaluator and the burn-rate rules: both follow the wall clock alike.
    const liveClock = new LiveClock();
    // A follower evaluates nothing itself (it has no raw events): its alerts are the collector's.
    const ruleSet = config.follow ? [] : config.rulesFile ? loadRulesFile(config.rulesFile) : DEFAULT_RULES;
    // Burn-rate (SLO) rules of the rules file, beside the evaluator (issue 14). A live session
    // that evaluates keeps one even without any, so a rules save can add them (AlertingSession.save).
    const burnRules = config.rulesFile ? loadRoutingFile(config.rulesFile).burnRates : [];
    const burnHistory = new BurnRateHistory(new AlertHistoryStore(store));
    const burnReloads = config.session !== 'replay' && config.follow === undefined;
    const burn =
      burnRules.length || burnReloads
        ? new BurnRateSession(
            burnRules,
            config.session === 'replay',
            (n) => {
              burnHistory.observe(n);
              alertOrder.raise(n);
            },
            liveClock,
          )
        : null;
    const alerting = new AlertingSession({
      store,
      rules: ruleSet,
      replay: config.session === 'replay' || config.follow !== undefined,
      rulesFile: config.rulesFile ?? null,
      defaultSavePath: path.join(path.dirname(path.resolve(config.dbFile)), 'rules.yaml'),
      notify: alertOrder.raise,
      silenceChanged: alertOrder.silenceChanged,
      liveClock,
      burnRates: burn,
    });
    engine.countDroppedNotifications(() => alerting.notificationsDropped);
    // Burn-rate alerts carried on from before a restart: their resolve closes their history instance.
    burnHistory.carryOn(alerting.carriedBurnRates);
    engine.onCommitted((outcome) =>
      alertOrder.batch(() => {
        alerting.observeCommitted(outcome, metrics.watermark);
        burn?.observeCommitted(outcome.inserted, metrics.watermark);
      }),
    );
    engine.onQueueSamples((samples) => alerting.observeQueues(samples));
    engine.onStop(async () => {
      indexes.finish();
      alerting.stop();
      burn?.stop();
      await capture.stop().catch((err) => emit.log(`capture not closed cleanly: ${(err as Error).message}`));
    });
    if (config.publishMetrics) wireMetricsPublisher(engine, store, config.publishMetrics, config.broker, emit.log);
    const follower = config.follow ? wireFollower(engine, store, config.follow, emit) : null;
    const { source, replay } = createSessionSource(config, () => engine.flushNow(), emit.log);

    const rules = new RulesService(alerting);
    const services: EngineServices = {
      ingest: {
        timing: () => ({ ...engine.timing }),
        stats: () => store.stats(),
      },
      store: {
        setMaxDbBytes: ({ bytes }) => {
          const limit = store.setMaxBytes(bytes);
          emit.log(`database size limit ${limit.maxBytes === null ? 'lifted' : `set to ${limit.maxBytes} bytes`} (now ${limit.sizeBytes} bytes)`);
          engine.afterSizeLimitChanged();
          return limit;
        },
      },
      metrics: { history: ({ minutes }: ApiParsedArgs<'metrics.history'>) => readMetricsHistory(store, engine.clock(), minutes) },
      alerts: config.follow ? new FollowedAlertsService(store, alerting) : new AlertsService(alerting),
      rules,
      capture,
      deadLetters: new DeadLetterService({
        broker: config.follow ? undefined : config.broker,
        store,
        rules: () => rules.current(),
        readOnly: config.readOnly === true || isReadOnlyEnv(),
        maxBodyBytes: config.maxBodyBytes,
      }),
      replay,
    };
    let stopped: Promise<void> | null = null;
    return {
      engine,
      alerting,
      services,
      async start() {
        await engine.start(source);
        alerting.start();
        burn?.start();
        await follower?.start();
      },
      stop() {
        stopped ??= engine.stop().finally(() => {
          store.close();
          lease.release();
        });
        return stopped;
      },
    };
  } catch (err) {
    store.close();
    lease.release();
    throw databaseSetupError(config.dbFile, err);
  }
}
