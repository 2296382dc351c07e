// The desktop app's own log lines (a window state not saved, the renderer gone, the engine not
// closing, a start that failed, a link refused). Each goes through redactSecrets: an error's
// message may quote a broker URL with its password, a webhook URL with its token or a card
// number from an event, and the console (or a log file it is piped to) would keep it whole.
import { redactSecrets } from '../core/redact';

/** `detail` as text: an Error's message (with its stack when asked), anything else as String gives it; never throws. */
function detailText(detail: unknown, withStack: boolean): string {
  try {
    if (detail instanceof Error) return (withStack ? detail.stack : undefined) ?? detail.message;
    return String(detail);
  } catch {
    // An object without a usable toString (Object.create(null)), a getter that throws.
    return 'an error that cannot be written as text';
  }
}

/** "payops: <what>" or "payops: <what>: <detail>", secrets hidden in both. */
export function consoleLine(what: string, detail?: unknown, options: { stack?: boolean } = {}): string {
  const line = detail === undefined ? `payops: ${what}` : `payops: ${what}: ${detailText(detail, options.stack === true)}`;
  return redactSecrets(line);
}

/** An error's message as the desktop shows it to the operator (an error box): secrets hidden. */
export function shownErrorText(error: unknown): string {
  return redactSecrets(detailText(error, false));
}
