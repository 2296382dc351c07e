// Test-only: a live engine session on a real SQLite file whose alerts are routed, as the
// console routes them, to one webhook contact point on a real loopback receiver. The router's
// clock moves only when the test advances it, so hours of repeatIntervals take no time.
import { parseApiRequest, type ApiRequestName } from '../../shared/api';
import type { AlertView } from '../../shared/alerts';
import { validateRouting } from '../../shared/notificationConfig';
import { composeEngine, type EngineSession } from '../../electron/core/engine/composeEngine';
import { startSessionNotifications, type SessionNotifications } from '../../electron/core/notify/notificationHub';
import type { AlertmanagerWebhookV4 } from '../../electron/core/notify/payloads';
import { secretEnvName } from '../../electron/core/notify/secretUrls';
import { startReceiver, type HttpReceiver } from './httpReceiver';

export interface RoutedSession {
  session: EngineSession;
  notifications: SessionNotifications;
  receiver: HttpReceiver;
  /** A request through the session's services, validated as the console's are. */
  request<T>(req: ApiRequestName, args?: unknown): Promise<T>;
  firing(): Promise<AlertView[]>;
  /** The webhook bodies received so far, in order. */
  bodies(): AlertmanagerWebhookV4[];
}

/** Requests through `session`'s services, validated as the console's are, and its firing alerts. */
export function sessionRequests(session: EngineSession): Pick<RoutedSession, 'request' | 'firing'> {
  const services = session.services as unknown as Record<string, Record<string, (a: unknown) => unknown>>;
  const request = async <T>(req: ApiRequestName, args: unknown = {}): Promise<T> => {
    const [service, method] = req.split('.');
    const result = await services[service][method](parseApiRequest(req, args).args);
    return (req === 'alerts.list' ? (result as { alerts: unknown }).alerts : result) as T;
  };
  const firing = async () => (await request<AlertView[]>('alerts.list')).filter((a) => a.state === 'firing');
  return { request, firing };
}

/**
 * `closers` gets what the test must close, in the order to close them in reverse. `sections`:
 * more of the routing (inhibitRules, muteTimings, ...) and the default policy's other timings.
 */
export async function openRoutedSession(dbFile: string, groupBy: string[], closers: (() => unknown)[], sections: { inhibitRules?: unknown[]; repeatInterval?: string } = {}): Promise<RoutedSession> {
  const receiver = await startReceiver();
  closers.push(() => receiver.close());
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy, groupWait: '0s', groupInterval: '1s', repeatInterval: sections.repeatInterval ?? '1m' },
    ...(sections.inhibitRules ? { inhibitRules: sections.inhibitRules } : {}),
  });
  if (!v.ok) throw new Error('routing');
  let notifications: SessionNotifications | null = null;
  const session = composeEngine(
    { dbFile, session: 'live', rulesFile: null },
    { snapshot: () => undefined, log: () => undefined, alert: (n) => notifications!.hub.observe(n), silence: (c) => notifications!.hub.silence(c) },
  );
  closers.push(() => session.stop());
  notifications = startSessionNotifications({ dbFile, routing: v.config, secrets: null, dryRun: false, live: false, finishWaitMs: 10_000, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
  const { request, firing } = sessionRequests(session);
  const bodies = () => receiver.requests.map((q) => q.body as AlertmanagerWebhookV4);
  return { session, notifications, receiver, request, firing, bodies };
}
