// The desktop app's own log lines (a window state not saved, the renderer gone, the engine not
// closing, a start that failed, a link refused). Each goes through redactSecrets: an error's
// message may quote a broker URL with its password, a webhook URL with its token or a card
// number from an event, and the console (or a log file it is piped to) would keep it whole.
import { errorText, redactSecrets, safeErrorMessage } from '../core/redact';

/** "payops: <what>" or "payops: <what>: <detail>", secrets hidden in both. */
export function consoleLine(what: string, detail?: unknown, options: { stack?: boolean } = {}): string {
  const line = detail === undefined ? `payops: ${what}` : `payops: ${what}: ${errorText(detail, options.stack === true)}`;
  return redactSecrets(line);
}

/** An error's message as the desktop shows it to the operator (an error box): secrets hidden. */
export const shownErrorText = safeErrorMessage;
