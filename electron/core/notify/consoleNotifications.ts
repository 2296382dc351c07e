// Notification routing for a console session: the rules file's contact points, URL secrets
// from the console's secret store (the OS keychain in the desktop app). Live sessions
// deliver; demo and replay sessions log "would_notify". The desktop contact point is the
// console's own notification, which the console already shows for every alert.
import type { EngineConfig } from '../engine/engineConfig';
import { loadRoutingFile } from '../alerts/loadRulesFile';
import type { SecretStore } from '../secrets/secretStore';
import { startSessionNotifications, type SessionNotifications } from './notificationHub';

export function startConsoleNotifications(config: EngineConfig, secrets: SecretStore, log: (line: string) => void): SessionNotifications | null {
  if (!config.rulesFile) return null;
  try {
    const routing = loadRoutingFile(config.rulesFile);
    return startSessionNotifications({ dbFile: config.dbFile, routing, secrets, dryRun: config.session !== 'live', live: config.session === 'live', warn: log });
  } catch (err) {
    log(`notification routing not started: ${(err as Error).message}`);
    return null;
  }
}
