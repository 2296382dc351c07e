// Notification routing for a console session: the rules file's contact points, URL secrets
// from the console's secret store (the OS keychain in the desktop app). Live sessions
// deliver; demo and replay sessions log "would_notify". The desktop contact point is the
// console's own notification, which the console already shows for every alert.
import type { EngineConfig } from '../engine/engineConfig';
import { loadRoutingFile, parseRoutingText, rulesFormatOf } from '../alerts/loadRulesFile';
import type { RoutingConfig } from '../../../shared/notificationConfig';
import type { SecretStore } from '../secrets/secretStore';
import { startSessionNotifications, type SessionNotifications } from './notificationHub';

/**
 * `loadFailed` is told why, when the file's routing cannot be read (the session then has none).
 * `savedText`: the text a save just wrote to the file, read instead of the file (see reloadConsoleNotifications).
 */
export function startConsoleNotifications(
  config: EngineConfig,
  secrets: SecretStore,
  log: (line: string) => void,
  loadFailed: (message: string) => void = () => undefined,
  midSession = false,
  savedText?: string,
): SessionNotifications | null {
  if (!config.rulesFile) return null;
  try {
    const routing = routingOf(config.rulesFile, savedText);
    const live = config.session === 'live';
    // Started while the session runs (a save): whatever the session, the alerts open now carry on.
    return startSessionNotifications({ dbFile: config.dbFile, routing, secrets, dryRun: !live, live, resume: live || midSession, warn: log });
  } catch (err) {
    log(`notification routing not started: ${(err as Error).message}`);
    loadFailed((err as Error).message);
    return null;
  }
}

/**
 * The rules file was saved while `config`'s session runs (the engine already evaluates the new
 * rules): the session's routing becomes the file's. A session that had none (no rules file
 * when it started) starts its routing now, carrying on the alerts the engine has open as a
 * restart would. A routing that cannot be read keeps the old one and says why on `log` and to
 * `reloadFailed` (a session that had none: to `loadFailed`, as at its start).
 *
 * `savedText` is the text the save wrote, which the engine evaluates now: the routing is read
 * from it, not from the file again, which another save or an editor may have changed since
 * (the session would run another text's routing, or say "not applied" of a good save).
 */
export function reloadConsoleNotifications(
  current: SessionNotifications | null,
  config: EngineConfig,
  secrets: SecretStore,
  log: (line: string) => void,
  loadFailed?: (message: string) => void,
  reloadFailed: (message: string) => void = () => undefined,
  savedText?: string,
): SessionNotifications | null {
  if (!config.rulesFile) return current;
  if (!current) return startConsoleNotifications(config, secrets, log, loadFailed, true, savedText);
  try {
    current.reload(routingOf(config.rulesFile, savedText));
  } catch (err) {
    log(`notification routing not reloaded, the previous routing stays: ${(err as Error).message}`);
    reloadFailed((err as Error).message);
  }
  return current;
}

/** The routing of `savedText` (in the file's format) when given, else of the file as it is now. */
function routingOf(rulesFile: string, savedText: string | undefined): RoutingConfig {
  return savedText === undefined ? loadRoutingFile(rulesFile) : parseRoutingText(savedText, rulesFormatOf(rulesFile), rulesFile);
}
