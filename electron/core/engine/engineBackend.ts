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
import { EngineHost } from './engineHost';

export type { SecretStore } from '../secrets/secretStore';

const WORKER_REQUESTS = [
  ...(Object.keys(alertsRequestSchemas) as (keyof typeof alertsRequestSchemas)[]),
  ...(Object.keys(explorerRequestSchemas) as (keyof typeof explorerRequestSchemas)[]),
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

  const push = <K extends ApiPushName>(name: K, payload: ApiPushes[K]) => {
    for (const l of listeners[name]) (l as (p: ApiPushes[K]) => void)(payload);
  };

  async function run(config: EngineConfig): Promise<void> {
    const previous = engine;
    engine = null;
    await previous?.stop();
    const next = await EngineHost.start(config);
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
    rulesFile: options.rulesFile ?? null,
  });
  const demoConfig = (scenario: ScenarioName, rate: number): EngineConfig => {
    const dbFile = path.join(configDir, 'demo.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
    return { dbFile, session: 'demo', demo: { scenario, rate, seed: 42 }, rulesFile: options.rulesFile ?? null };
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
