import { redactSecrets } from '../core/redact';
import { visible } from './terminalText';

/**
 * Diagnostics go to stderr with a timestamp, so stdout stays clean for --json output. One line
 * each: values in it (a quarantine reason quoting the input, an alert summary naming a merchant)
 * have their control characters and line breaks escaped (terminalText).
 */
export function logLine(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${visible(redactSecrets(line))}\n`);
}
