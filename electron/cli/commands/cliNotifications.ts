// Headless notification routing for CLI sessions: contact points from the rules file, URL
// secrets from PAYOPS_SECRET_<NAME> (there is no keychain without the desktop app), the
// desktop contact point printed as a log line. Operator lines go to stderr (logLine): a
// contact point whose secret is missing (at the start), each delivery that fails for good
// (after its retries), and at the end how many messages were delivered; never a URL or token.
import { loadRoutingFile } from '../../core/alerts/loadRulesFile';
import { startSessionNotifications, type SessionNotifications } from '../../core/notify/notificationHub';
import { logLine } from '../logLine';

export function startCliNotifications(options: { dbFile: string; rulesFile: string | null; dryRun: boolean; live: boolean }): SessionNotifications | null {
  if (!options.rulesFile) return null;
  const routing = loadRoutingFile(options.rulesFile);
  return startSessionNotifications({
    dbFile: options.dbFile,
    routing,
    secrets: null,
    dryRun: options.dryRun,
    live: options.live,
    warn: (line) => logLine(line),
    desktop: (d) => {
      for (const a of d.alerts) logLine(`notification: ${a.summary}`);
    },
  });
}
