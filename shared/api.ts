// The one API contract between the engine side and the renderer. Electron IPC (preload)
// and the loopback web host (WebSocket) both carry exactly these requests and pushes. Every
// name is "<service>.<method>": apiDispatch.ts reads the contract as services, and validates
// each request once, with these schemas, where it enters the process.
import { z } from 'zod';
import type { EngineSnapshot, QueueDepthPoint, ThroughputPoint } from './metrics';
import type { DbSizeLimit } from './storeStats';
import { brokerProfileSchema, type BrokerProfileView } from './profiles';
import type { AlertNotification, AlertView } from './alerts';
import type { MenuPush } from './menuPush';
import { alertsRequestSchemas, type AlertsResults } from './alertsApi';
import { explorerRequestSchemas, type ExplorerResults } from './explorer';
import { replayRequestSchemas, type ReplayResults } from './replayApi';
import { dialogRequestSchemas, type DialogResults } from './dialogApi';
import { notificationsRequestSchemas, type NotificationsResults } from './notificationsApi';
import { contactPointsRequestSchemas, type ContactPointsResults } from './contactPointsApi';
import { triageRequestSchemas, type TriageResults } from './triage';
import { dashboardRequestSchemas, type DashboardResults } from './dashboardApi';
import { deadLettersRequestSchemas, type DeadLettersResults } from './deadLetters';

const empty = z.object({}).strict();
const sizeLimitError = { error: 'must be a non-negative number or null (no limit)' };

export const apiRequestSchemas = {
  'app.info': empty,
  'engine.snapshot': empty,
  'metrics.history': z.object({ minutes: z.number().int().min(1).max(24 * 60) }).strict(),
  'profiles.list': empty,
  'profiles.save': z.object({ profile: brokerProfileSchema, password: z.string().max(1024).optional() }).strict(),
  'profiles.delete': z.object({ id: z.string().min(1).max(64) }).strict(),
  'profiles.test': z.object({ profile: brokerProfileSchema, password: z.string().max(1024).optional() }).strict(),
  'profiles.connect': z.object({ id: z.string().min(1).max(64) }).strict(),
  'demo.start': z.object({ scenario: z.enum(['normal', 'decline-spike', 'fraud-burst', 'stall', 'issuer-outage', 'acquirer-degradation', 'mix-shift', 'card-testing']).default('decline-spike'), rate: z.number().int().min(1).max(50000).default(200) }).strict(),
  'demo.stop': empty,
  /** The operator freed space (or allows more): raises or lifts (null) the database size limit. */
  'store.setMaxDbBytes': z.object({ bytes: z.number(sizeLimitError).int(sizeLimitError).nonnegative(sizeLimitError).nullable() }).strict(),
  'alerts.list': z.object({ includeResolved: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  ...alertsRequestSchemas,
  ...explorerRequestSchemas,
  ...replayRequestSchemas,
  ...dialogRequestSchemas,
  ...notificationsRequestSchemas,
  ...contactPointsRequestSchemas,
  ...triageRequestSchemas,
  ...dashboardRequestSchemas,
  ...deadLettersRequestSchemas,
} as const;

export type ApiRequestName = keyof typeof apiRequestSchemas;
export type ApiArgs<K extends ApiRequestName> = z.input<(typeof apiRequestSchemas)[K]>;
export type ApiParsedArgs<K extends ApiRequestName> = z.output<(typeof apiRequestSchemas)[K]>;

export interface AppInfo {
  version: string;
  host: 'electron' | 'web';
  readOnly: boolean;
  demo: boolean;
  dbFile: string | null;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  latencyMs: number | null;
  serverVersion: string | null;
}

/** What each request resolves to. */
export interface ApiResults extends AlertsResults, ExplorerResults, ReplayResults, DialogResults, NotificationsResults, ContactPointsResults, TriageResults, DashboardResults, DeadLettersResults {
  'app.info': AppInfo;
  'engine.snapshot': EngineSnapshot;
  'metrics.history': { throughput: ThroughputPoint[]; queueDepth: QueueDepthPoint[] };
  'profiles.list': { profiles: BrokerProfileView[]; activeId: string | null };
  'profiles.save': BrokerProfileView;
  'profiles.delete': { deleted: boolean };
  'profiles.test': ConnectionTestResult;
  'profiles.connect': { ok: boolean; message: string };
  'demo.start': { ok: boolean };
  'demo.stop': { ok: boolean };
  'alerts.list': { alerts: AlertView[] };
  'store.setMaxDbBytes': DbSizeLimit;
}

/** What the engine side pushes without being asked. */
export interface ApiPushes {
  snapshot: EngineSnapshot;
  alert: AlertNotification;
  /**
   * Desktop only: from the main process, an application-menu command (view switch, pause, theme),
   * the alert a notification's click opens, or a link it would not open (shared/menuPush.ts).
   */
  menu: MenuPush;
}
export type ApiPushName = keyof ApiPushes;

/** The surface both transports expose to the renderer (`window.payops` in Electron). */
export interface PayopsApi {
  invoke<K extends ApiRequestName>(name: K, args: ApiArgs<K>): Promise<ApiResults[K]>;
  on<K extends ApiPushName>(name: K, listener: (payload: ApiPushes[K]) => void): () => void;
}

export class ApiArgumentError extends Error {}

/** Validates a request from an untrusted side; the error names the request and the field. */
export function parseApiRequest<K extends ApiRequestName>(name: string, args: unknown): { name: K; args: ApiParsedArgs<K> } {
  // Checked first: any other value would be turned into a property key (and may throw doing so).
  if (typeof name !== 'string') throw new ApiArgumentError(`request name must be a string (got ${name === null ? 'null' : typeof name})`);
  if (!Object.prototype.hasOwnProperty.call(apiRequestSchemas, name)) {
    throw new ApiArgumentError(`unknown request "${String(name).slice(0, 64)}"`);
  }
  const schema = apiRequestSchemas[name as K];
  const parsed = schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiArgumentError(`${name}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`);
  }
  return { name: name as K, args: parsed.data as ApiParsedArgs<K> };
}

/** Wire messages of the WebSocket transport. */
export type WireRequest = { kind: 'request'; id: number; name: string; args: unknown };
export type WireMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string }
  | { kind: 'push'; name: ApiPushName; payload: unknown };

export const IPC_INVOKE_CHANNEL = 'payops:invoke';
export const IPC_PUSH_CHANNEL = 'payops:push';
