// The console's backend on the host side (Electron main, or the web host's process): one
// session at a time (live, demo or a replay), each an engine worker plus a read worker, and
// every service of the API contract: host-side ones (profiles, sessions, dialogs, contact
// point secrets) here, the rest forwarded to the session's threads by the contract's own list
// of methods.
import fs from 'node:fs';
import path from 'node:path';
import type { ApiPushes, ApiPushName } from '../../../shared/api';
import { forwardingService, type ApiMethodName, type ApiServiceName, type ApiServices } from '../../../shared/apiDispatch';
import type { Remote } from '../../../shared/rpc';
import { testBrokerConnection } from '../broker/connectionTest';
import type { BrokerConfig } from '../broker/brokerConfig';
import type { EngineConfig } from '../engine/engineConfig';
import type { ScenarioName } from '../sim/scenarios';
import { ProfileStore, toBrokerConfig } from '../profiles/profileStore';
import { redactUrl } from '../redact';
import type { SecretStore } from '../secrets/secretStore';
import { reloadConsoleNotifications, startConsoleNotifications } from '../notify/consoleNotifications';
import type { SessionNotifications } from '../notify/notificationHub';
import type { ApiBackend } from './apiBackend';
import { contactPointSecretsService } from './contactPointSecrets';
import { dialogFallbackService } from './dialogFallback';
import { EngineHost, EngineStartError, type EngineProxies } from './engineHost';
import { ReaderHost, type ReaderProxies } from './readerHost';
import { readRecentCaptures, rememberRecentCapture } from './recentCaptures';

export type { SecretStore } from '../secrets/secretStore';

export interface ConsoleBackendOptions {
  /** The live database. */
  dbFile: string;
  /** Where profiles.json and the demo database live. */
  configDir?: string;
  host?: 'electron' | 'web';
  secrets: SecretStore;
  /** Start in demo mode (the simulator, its own database, clearly labelled). */
  demo?: boolean;
  /** A broker given on the command line; otherwise the active profile, if any. */
  broker?: BrokerConfig;
  readOnly?: boolean;
  rulesFile?: string | null;
  /** Follow this metrics stream (a collector's --publish-metrics) instead of consuming raw events. */
  follow?: string;
  version?: string;
  log?: (line: string) => void;
}

const DEMO_CAPTURE_PATH = path.resolve(__dirname, '../../../../electron/core/demo/paysim-demo.ndjson.gz');
/** The shipped PaySim capture, offered first in the replay view. */
const DEMO_CAPTURE: string | null = fs.existsSync(DEMO_CAPTURE_PATH) ? DEMO_CAPTURE_PATH : null;

/** Each opened capture replays into a fresh database of its own under <configDir>/replays. */
function replayDbFile(configDir: string, capture: string): string {
  const dir = path.join(configDir, 'replays');
  fs.mkdirSync(dir, { recursive: true });
  const name = path.basename(capture).replace(/[^\w.-]+/g, '_').slice(0, 80);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return path.join(dir, `${name}-${stamp}.db`);
}

/** A running session: its engine worker and its read worker. */
interface Session {
  config: EngineConfig;
  engine: EngineHost;
  reader: ReaderHost;
  notifications: SessionNotifications | null;
  /** Why the rules file's routing could not be read when the session applied it (it then has none). */
  routingError: string | null;
  /** Why the routing of the rules last saved could not be applied (the session keeps the one it had). */
  routingNotApplied: string | null;
}

/** Calls `method` of a remote service; the method list comes from the contract, not from here. */
function callRemote(service: object, method: string, args: unknown): Promise<unknown> {
  return (service as Record<string, (a: unknown) => Promise<unknown>>)[method](args);
}

export async function createConsoleBackend(options: ConsoleBackendOptions): Promise<ApiBackend> {
  const configDir = options.configDir ?? path.dirname(path.resolve(options.dbFile));
  fs.mkdirSync(configDir, { recursive: true });
  const profiles = new ProfileStore(configDir, options.secrets);
  const listeners: { [K in ApiPushName]: Set<(payload: ApiPushes[K]) => void> } = { snapshot: new Set(), alert: new Set(), menu: new Set() };
  const log = options.log ?? (() => undefined);
  let session: Session | null = null;
  let switching: Promise<unknown> = Promise.resolve();
  // Alert rules: the --rules file, else rules.yaml beside the database once the rule editor
  // has saved one there; a save in any session applies to the sessions started after it.
  const savedRules = path.join(path.dirname(path.resolve(options.dbFile)), 'rules.yaml');
  let rulesFile = options.rulesFile ?? (fs.existsSync(savedRules) ? savedRules : null);
  let rulesError: string | null = null;

  const push = <K extends ApiPushName>(name: K, payload: ApiPushes[K]) => {
    for (const l of listeners[name]) (l as (p: ApiPushes[K]) => void)(payload);
  };

  async function startEngine(config: EngineConfig): Promise<EngineHost> {
    try {
      const engine = await EngineHost.start(config);
      rulesError = null;
      return engine;
    } catch (err) {
      // A bad rules file must not keep the console closed: say why (rule and field) in the
      // log and in the rule editor, and evaluate the default pack until it is fixed.
      if (!config.rulesFile || !(err instanceof EngineStartError) || !/^Rule(sFile|Validation)Error$/.test(err.kind)) throw err;
      rulesError = err.message;
      log(`alert rules not loaded, evaluating the default pack instead: ${err.message}`);
      return EngineHost.start({ ...config, rulesFile: null });
    }
  }

  async function run(config: EngineConfig): Promise<void> {
    const previous = session;
    session = null;
    await previous?.reader.stop();
    await previous?.engine.stop();
    await previous?.notifications?.stop();
    const engine = await startEngine(config);
    let reader: ReaderHost;
    try {
      reader = await ReaderHost.start({ dbFile: config.dbFile, exportsDir: path.join(path.dirname(path.resolve(config.dbFile)), 'exports') });
    } catch (err) {
      await engine.stop();
      throw err;
    }
    engine.on('snapshot', (s) => push('snapshot', s));
    engine.on('alert', (n) => push('alert', n));
    engine.on('log', log);
    const started: Session = { config, engine, reader, notifications: null, routingError: null, routingNotApplied: null };
    started.notifications = startConsoleNotifications(config, options.secrets, log, (message) => (started.routingError = message));
    // Through the session: a rules save may start or replace its routing (reloadConsoleNotifications).
    engine.on('alert', (n) => started.notifications?.hub.observe(n));
    engine.on('silence', (c) => started.notifications?.hub.silence(c));
    session = started;
  }

  const liveConfig = (broker: BrokerConfig | undefined): EngineConfig =>
    options.follow && broker
      ? { dbFile: options.dbFile, session: 'live', follow: { stream: options.follow, url: broker.url }, rulesFile, readOnly: options.readOnly }
      : { dbFile: options.dbFile, session: 'live', broker: broker ? { ...broker, initialRetries: Infinity } : undefined, rulesFile, readOnly: options.readOnly };
  const demoConfig = (scenario: ScenarioName, rate: number): EngineConfig => {
    // Emptied by the engine once it holds the file's lease: never from under another console's demo.
    return { dbFile: path.join(configDir, 'demo.db'), freshDb: true, session: 'demo', demo: { scenario, rate, seed: 42 }, rulesFile };
  };
  const activeBroker = async (): Promise<BrokerConfig | undefined> => {
    if (options.broker) return options.broker;
    const active = (await profiles.list()).activeId;
    return active ? ((await profiles.brokerConfig(active)) ?? undefined) : undefined;
  };
  /** Session switches run one at a time, in the order asked. */
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = switching.then(fn, fn);
    switching = result.catch(() => undefined);
    return result;
  };

  // The demo tells its story from the start: normal traffic, a decline spike, recovery.
  if (options.demo) await run(demoConfig('decline-spike', 200));
  else await run(liveConfig(await activeBroker()));

  const current = (): Session => {
    if (!session) throw new Error('the engine is switching sessions; try again');
    return session;
  };
  const toEngine = <S extends ApiServiceName & keyof EngineProxies>(service: S) =>
    forwardingService(service, (method: ApiMethodName<S>, args) => callRemote(current().engine.services[service] as Remote<object>, method, args));
  const toReader = <S extends ApiServiceName & keyof ReaderProxies>(service: S) =>
    forwardingService(service, (method: ApiMethodName<S>, args) => callRemote(current().reader.services[service] as Remote<object>, method, args));
  const backToLive = () =>
    serially(async () => {
      await run(liveConfig(await activeBroker()));
      return { ok: true };
    });

  const services: ApiServices = {
    app: {
      info: () => {
        const demo = session?.config.session === 'demo';
        return { version: options.version ?? '0.0.0', host: options.host ?? 'web', readOnly: options.readOnly ?? false, demo, dbFile: demo ? null : options.dbFile };
      },
    },
    engine: {
      snapshot: () => {
        const snapshot = current().engine.snapshot;
        if (!snapshot) throw new Error('no snapshot yet');
        return snapshot;
      },
    },
    metrics: toEngine('metrics'),
    profiles: {
      list: () => profiles.list(),
      save: ({ profile, password }) => profiles.save(profile, password),
      delete: async ({ id }) => ({ deleted: await profiles.delete(id) }),
      test: async ({ profile, password }) => testBrokerConnection(toBrokerConfig(profile, await profiles.passwordFor(profile, password))),
      connect: ({ id }) =>
        serially(async () => {
          const broker = await profiles.brokerConfig(id);
          if (!broker) return { ok: false, message: `no profile "${id}"` };
          profiles.setActive(id);
          await run(liveConfig(broker));
          return { ok: true, message: `connecting to ${redactUrl(broker.url)}` };
        }),
    },
    demo: {
      start: ({ scenario, rate }) =>
        serially(async () => {
          await run(demoConfig(scenario, rate));
          return { ok: true };
        }),
      stop: backToLive,
    },
    store: toEngine('store'),
    alerts: toEngine('alerts'),
    notifications: {
      log: ({ limit }) => {
        const n = session?.notifications;
        return { entries: n ? n.recent(limit) : [], routing: n !== null && n !== undefined, dropped: session?.engine.snapshot?.notificationsDropped ?? 0 };
      },
    },
    contactPoints: contactPointSecretsService({
      secrets: options.secrets,
      rulesFile: () => rulesFile,
      // What the session routes on: a file edited on disk counts once a save applies it.
      sessionRouting: () => ({
        routing: session?.notifications?.hub.routingInUse() ?? null,
        loadError: session?.routingError ?? null,
        reloadError: session?.routingNotApplied ?? null,
      }),
      log,
    }),
    rules: {
      get: async () => ({ ...(await current().engine.services.rules.get({})), savePath: rulesFile ?? savedRules, loadError: rulesError }),
      validate: (args) => current().engine.services.rules.validate(args),
      // The backend decides where rules live (the live database's folder, also for demo and replay sessions).
      save: async (args) => {
        const s = current();
        const result = await s.engine.services.rules.save({ ...args, path: rulesFile ?? savedRules });
        if (result.ok && result.path) {
          rulesFile = result.path;
          rulesError = null;
        }
        // The engine evaluates the saved rules now: the routing in the same file applies now too.
        if (result.ok && result.reloaded && result.path && session === s) {
          s.config = { ...s.config, rulesFile: result.path };
          // A session without routing tries the file again: its error stays only if it still fails.
          if (!s.notifications) s.routingError = null;
          s.routingNotApplied = null;
          s.notifications = reloadConsoleNotifications(
            s.notifications,
            s.config,
            options.secrets,
            log,
            (message) => (s.routingError = message),
            (message) => (s.routingNotApplied = message),
            // The text saved, which the engine now runs: the file may hold another save's by now.
            args.text,
          );
          // The rules run, the routing does not: the answer must not say the save is in effect.
          const notApplied = s.routingNotApplied ?? s.routingError;
          if (notApplied) {
            return { ...result, reloaded: false, reloadError: notApplied, message: `${result.message}; its notification routing was not applied, the session keeps the routing it had: ${notApplied}` };
          }
          return { ...result, reloadError: null };
        }
        return result;
      },
      backtest: (args) => current().reader.services.backtest.run(args),
    },
    events: toReader('events'),
    quarantine: toReader('quarantine'),
    report: toReader('report'),
    triage: toReader('triage'),
    dashboard: toReader('dashboard'),
    replay: {
      ...toEngine('replay'),
      open: ({ file, speed, startPaused }) =>
        serially(async () => {
          const resolved = path.resolve(file);
          if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) throw new Error(`no capture file at ${resolved}`);
          const dbFile = replayDbFile(configDir, resolved);
          await run({ dbFile, session: 'replay', replay: { file: resolved, speed, startPaused }, rulesFile });
          rememberRecentCapture(configDir, resolved);
          return { ok: true, file: resolved, dbFile };
        }),
      close: backToLive,
      recent: () => ({ files: readRecentCaptures(configDir), demoCapture: DEMO_CAPTURE }),
    },
    capture: toEngine('capture'),
    deadLetters: toEngine('deadLetters'),
    dialog: dialogFallbackService,
  };

  return {
    services,
    subscribe(name, listener) {
      const set = listeners[name] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    async close() {
      await switching;
      const last = session;
      session = null;
      await last?.reader.stop();
      await last?.engine.stop();
      await last?.notifications?.stop();
    },
  };
}
