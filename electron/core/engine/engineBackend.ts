import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, ApiPushes, ApiPushName, ApiResults } from '../../../shared/api';
import { alertsRequestSchemas } from '../../../shared/alertsApi';
import { explorerRequestSchemas } from '../../../shared/explorer';
import type { AlertView } from '../../../shared/alerts';
import type { EngineSnapshot } from '../../../shared/metrics';
import { testBrokerConnection } from '../broker/connectionTest';
import { ProfileStore, toBrokerConfig } from '../profiles/profileStore';
import { redactUrl } from '../redact';
import type { SecretStore } from '../secrets/secretStore';
import type { ApiBackend } from './engineApi';
import type { BrokerConfig, EngineConfig, ScenarioName } from './engineConfig';
import { dialogFallbackHandlers } from './dialogFallback';
import { EngineHost, EngineStartError } from './engineHost';
import { writeFileAtomicallySync } from '../atomicFile';

export type { SecretStore } from '../secrets/secretStore';

const WORKER_REQUESTS = [
  ...(Object.keys(alertsRequestSchemas) as (keyof typeof alertsRequestSchemas)[]),
  ...(Object.keys(explorerRequestSchemas) as (keyof typeof explorerRequestSchemas)[]),
  ...(['replay.control', 'replay.status', 'capture.start', 'capture.stop', 'capture.status'] as const),
];
type WorkerRequestName = (typeof WORKER_REQUESTS)[number];

export interface EngineBackendOptions {
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

function readRecent(configDir: string): { file: string; openedAt: number }[] {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(configDir, 'recent-captures.json'), 'utf8')) as { file: string; openedAt: number }[];
    return list.filter((r) => typeof r.file === 'string' && typeof r.openedAt === 'number').slice(0, 10);
  } catch {
    return [];
  }
}

function rememberRecent(configDir: string, file: string): void {
  const list = [{ file, openedAt: Date.now() }, ...readRecent(configDir).filter((r) => r.file !== file)].slice(0, 10);
  writeFileAtomicallySync(path.join(configDir, 'recent-captures.json'), `${JSON.stringify(list, null, 2)}\n`);
}

/**
 * The engine side of the API, shared by Electron IPC and the web host: one worker-backed
 * engine at a time (live, or demo), broker profiles, and the pushes the renderer listens to.
 */
export async function createEngineBackend(options: EngineBackendOptions): Promise<ApiBackend> {
  const configDir = options.configDir ?? path.dirname(path.resolve(options.dbFile));
  fs.mkdirSync(configDir, { recursive: true });
  const profiles = new ProfileStore(configDir, options.secrets);
  const listeners: { [K in ApiPushName]: Set<(payload: ApiPushes[K]) => void> } = { snapshot: new Set(), alert: new Set(), menu: new Set() };
  const log = options.log ?? (() => undefined);
  let engine: EngineHost | null = null;
  let session: EngineConfig['session'] = 'live';
  let switching: Promise<unknown> = Promise.resolve();
  // Alert rules: the --rules file, else rules.yaml beside the database once the rule editor
  // has saved one there; a save in any session applies to the sessions started after it.
  const savedRules = path.join(path.dirname(path.resolve(options.dbFile)), 'rules.yaml');
  let rulesFile = options.rulesFile ?? (fs.existsSync(savedRules) ? savedRules : null);
  let rulesError: string | null = null;

  const push = <K extends ApiPushName>(name: K, payload: ApiPushes[K]) => {
    for (const l of listeners[name]) (l as (p: ApiPushes[K]) => void)(payload);
  };

  async function run(config: EngineConfig): Promise<void> {
    const previous = engine;
    engine = null;
    await previous?.stop();
    let next: EngineHost;
    try {
      next = await EngineHost.start(config);
      rulesError = null;
    } catch (err) {
      // A bad rules file must not keep the console closed: say why (rule and field) in the
      // log and in the rule editor, and evaluate the default pack until it is fixed.
      if (!config.rulesFile || !(err instanceof EngineStartError) || !/^Rule(sFile|Validation)Error$/.test(err.kind)) throw err;
      rulesError = err.message;
      log(`alert rules not loaded, evaluating the default pack instead: ${err.message}`);
      next = await EngineHost.start({ ...config, rulesFile: null });
    }
    next.on('snapshot', (s) => push('snapshot', s));
    next.on('alert', (n) => push('alert', n));
    next.on('log', log);
    session = config.session;
    engine = next;
  }

  const liveConfig = (broker: BrokerConfig | undefined): EngineConfig => ({
    dbFile: options.dbFile,
    session: 'live',
    broker: broker ? { ...broker, initialRetries: Infinity } : undefined,
    rulesFile,
  });
  const demoConfig = (scenario: ScenarioName, rate: number): EngineConfig => {
    const dbFile = path.join(configDir, 'demo.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
    return { dbFile, session: 'demo', demo: { scenario, rate, seed: 42 }, rulesFile };
  };
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = switching.then(fn, fn);
    switching = result.catch(() => undefined);
    return result;
  };

  if (options.demo) await run(demoConfig('normal', 200));
  else {
    const active = (await profiles.list()).activeId;
    const broker = options.broker ?? (active ? ((await profiles.brokerConfig(active)) ?? undefined) : undefined);
    await run(liveConfig(broker));
  }

  const current = (): EngineHost => {
    if (!engine) throw new Error('the engine is switching sessions; try again');
    return engine;
  };
  const emptySnapshot = (): EngineSnapshot => {
    throw new Error('no snapshot yet');
  };

  // Requests the engine worker answers itself (explorer, reports, alert actions): validated
  // here by the host, forwarded as they are.
  const forward = <K extends WorkerRequestName>(name: K) => async (args: unknown) => (await current().request(name, args)) as ApiResults[K];
  const forwarded = Object.fromEntries(WORKER_REQUESTS.map((name) => [name, forward(name)])) as Pick<ApiHandlers, WorkerRequestName>;

  const handlers: ApiHandlers = {
    ...forwarded,
    'app.info': () => ({
      version: options.version ?? '0.0.0',
      host: options.host ?? 'web',
      readOnly: options.readOnly ?? false,
      demo: session === 'demo',
      dbFile: session === 'demo' ? null : options.dbFile,
    }),
    'engine.snapshot': () => current().snapshot ?? emptySnapshot(),
    'metrics.history': async (args) => (await current().request('metrics.history', args)) as ApiResults['metrics.history'],
    'profiles.list': () => profiles.list(),
    'profiles.save': ({ profile, password }) => profiles.save(profile, password),
    'profiles.delete': async ({ id }) => ({ deleted: await profiles.delete(id) }),
    'profiles.test': async ({ profile, password }) => {
      const secret = password ?? (await profiles.storedPassword(profile.id));
      return testBrokerConnection(toBrokerConfig(profile, secret));
    },
    'profiles.connect': ({ id }) =>
      serially(async () => {
        const broker = await profiles.brokerConfig(id);
        if (!broker) return { ok: false, message: `no profile "${id}"` };
        profiles.setActive(id);
        await run(liveConfig(broker));
        return { ok: true, message: `connecting to ${redactUrl(broker.url)}` };
      }),
    'demo.start': ({ scenario, rate }) =>
      serially(async () => {
        await run(demoConfig(scenario, rate));
        return { ok: true };
      }),
    'demo.stop': () =>
      serially(async () => {
        const active = (await profiles.list()).activeId;
        const broker = options.broker ?? (active ? ((await profiles.brokerConfig(active)) ?? undefined) : undefined);
        await run(liveConfig(broker));
        return { ok: true };
      }),
    'rules.save': async (args) => {
      // The backend decides where rules live (the live database's folder, also for demo and replay sessions).
      const result = (await current().request('rules.save', { ...args, path: rulesFile ?? savedRules })) as ApiResults['rules.save'];
      if (result.ok && result.path) {
        rulesFile = result.path;
        rulesError = null;
      }
      return result;
    },
    'rules.get': async (args) => ({ ...((await current().request('rules.get', args)) as ApiResults['rules.get']), savePath: rulesFile ?? savedRules, loadError: rulesError }),
    'replay.open': ({ file, speed, startPaused }) =>
      serially(async () => {
        const resolved = path.resolve(file);
        if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) throw new Error(`no capture file at ${resolved}`);
        const dbFile = replayDbFile(configDir, resolved);
        await run({ dbFile, session: 'replay', replay: { file: resolved, speed, startPaused }, rulesFile });
        rememberRecent(configDir, resolved);
        return { ok: true, file: resolved, dbFile };
      }),
    'replay.close': () =>
      serially(async () => {
        const active = (await profiles.list()).activeId;
        const broker = options.broker ?? (active ? ((await profiles.brokerConfig(active)) ?? undefined) : undefined);
        await run(liveConfig(broker));
        return { ok: true };
      }),
    'replay.recent': () => ({ files: readRecent(configDir), demoCapture: DEMO_CAPTURE }),
    ...dialogFallbackHandlers,
    'alerts.list': async (args) => {
      const alerts = (await current().request('alerts.list', args).catch(() => [])) as AlertView[];
      return { alerts };
    },
  };

  return {
    handlers,
    subscribe(name, listener) {
      const set = listeners[name] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    async close() {
      await switching;
      await engine?.stop();
      engine = null;
    },
  };
}
